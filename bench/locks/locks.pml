/*
 * bench/locks/locks.pml -- the Promela twin of locks.mc, for SPIN.
 *
 * N workers share two locks (bits m1, m2).  Each worker loops forever and
 * picks one of two paths (the first statement of each option is the choice):
 *   A: local work, lock m1, local work, lock m2, critical section, unlock m2, unlock m1
 *   B: local work, lock m2, critical section, unlock m2
 * Locks are taken in the order m1 -> m2: no deadlock.  work and mine are
 * private counters modulo K, total is shared and protected by m2.
 * One Promela statement = one step; a lock is one atomic step.
 * Property: assert(in_cs == 1).  Scale with spin -a -DN=.. -DK=..
 */
#ifndef N
#define N 3
#endif
#ifndef K
#define K 5
#endif

bit  m1, m2;    /* 0 = free, 1 = held */
byte in_cs;     /* workers inside the m2 critical section */
byte total;     /* shared counter, protected by m2 */

active [N] proctype worker()
{
    byte work = 0;  /* private */
    byte mine = 0;  /* private */
    do
    :: work = (work + 1) % K;
       atomic { m1 == 0 -> m1 = 1 };
       mine = (mine + 1) % K;
       atomic { m2 == 0 -> m2 = 1 };
       in_cs++;
       assert(in_cs == 1);
       total = (total + 1) % K;
       in_cs--;
       m2 = 0;
       m1 = 0
    :: work = (work + K - 1) % K;
       atomic { m2 == 0 -> m2 = 1 };
       in_cs++;
       assert(in_cs == 1);
       total = (total + K - 1) % K;
       in_cs--;
       m2 = 0
    od
}
