/*
 * bench/objects/devlocks.pml -- the Promela twin of devlocks.mc, for SPIN.
 *
 * N devices, one process each: a client driver's probe and its removal.  dev_lock[i]
 * protects device i's fields drv[i], dma[i], bound[i]; group_lock protects the shared counter
 * users and is taken on the attach path only.  The first statement of each option of the
 * `if` is the choice.  One Promela statement = one iomc step under spin -a -o3; a lock is
 * atomic { m == 0 -> m = 1 }.  Property: assert(in_group == 1); invalid end states.
 * Each device then blocks at end_done, so pan never deletes a process and r stays live (no
 * dead-variable reset): both would make the counts differ from iomc's.
 * Scale with spin -a -DN=..
 */
#ifndef N
#define N 3
#endif

bit  dev_lock[N];   /* 0 = free, 1 = held */
bit  drv[N];
bit  dma[N];
bit  bound[N];
bit  group_lock;
byte users;
byte in_group;

active [N] proctype dev()
{
    byte r = 0;     /* local */
    atomic { dev_lock[_pid] == 0 -> dev_lock[_pid] = 1 };
    drv[_pid] = 1;
    if
    :: atomic { group_lock == 0 -> group_lock = 1 };
       in_group++;
       assert(in_group == 1);
       users++;
       in_group--;
       group_lock = 0;
       r = 1;
       dma[_pid] = 1;
       bound[_pid] = 1;
       dev_lock[_pid] = 0;
       atomic { dev_lock[_pid] == 0 -> dev_lock[_pid] = 1 };
       bound[_pid] = 0;
       atomic { group_lock == 0 -> group_lock = 1 };
       users--;
       group_lock = 0;
       dma[_pid] = 0;
       drv[_pid] = 0;
       dev_lock[_pid] = 0
    :: r = 2;
       bound[_pid] = 1;
       dev_lock[_pid] = 0;
       atomic { dev_lock[_pid] == 0 -> dev_lock[_pid] = 1 };
       bound[_pid] = 0;
       drv[_pid] = 0;
       dev_lock[_pid] = 0
    fi;
end_done:
    r == 0      /* blocks forever (r is 1 or 2): a valid end state that keeps r live */
}
