-- bench/locks/locks_sym.m -- the Murphi twin of locks_sym.mc (variant stepwise), for Rumur.
--
-- N workers indexed by a scalarset, two mutexes m1, m2 taken in the order m1 -> m2, private
-- counters work and mine and a shared counter total (protected by m2), all modulo K. One rule
-- per iomc step: a worker's program counter has the 16 locations of locks.mc's `stepwise`
-- variant (the loop head, 9 between the 10 statements of path A, 6 between the 7 of path B),
-- the lock rules are guarded by the lock being free, and the assert is a step of its own, as in
-- locks.mc. So without symmetry reduction Rumur stores exactly iomc's states. The harness
-- (bench_reductions.cpp) rewrites the two constant lines below for other N and K.

const
  N: 3;
  K: 5;

type
  wid: scalarset(N);
  cnt: 0..K-1;
  loc: enum { Head,
              A_lock1, A_mine, A_lock2, A_enter, A_assert, A_total, A_leave, A_un2, A_un1,
              B_lock2, B_enter, B_assert, B_total, B_leave, B_un2 };

var
  m1, m2: boolean;
  in_cs: 0..N;
  total: cnt;
  pc: array [wid] of loc;
  work, mine: array [wid] of cnt;

startstate begin
  m1 := false; m2 := false; in_cs := 0; total := 0;
  for w: wid do pc[w] := Head; work[w] := 0; mine[w] := 0; end;
end;

ruleset w: wid do
  rule "A: work"     pc[w] = Head     ==> begin work[w] := (work[w] + 1) % K; pc[w] := A_lock1; end;
  rule "A: lock m1"  pc[w] = A_lock1 & !m1 ==> begin m1 := true; pc[w] := A_mine; end;
  rule "A: mine"     pc[w] = A_mine   ==> begin mine[w] := (mine[w] + 1) % K; pc[w] := A_lock2; end;
  rule "A: lock m2"  pc[w] = A_lock2 & !m2 ==> begin m2 := true; pc[w] := A_enter; end;
  rule "A: enter"    pc[w] = A_enter  ==> begin in_cs := in_cs + 1; pc[w] := A_assert; end;
  rule "A: assert"   pc[w] = A_assert ==> begin assert in_cs = 1 "mutual exclusion on m2"; pc[w] := A_total; end;
  rule "A: total"    pc[w] = A_total  ==> begin total := (total + 1) % K; pc[w] := A_leave; end;
  rule "A: leave"    pc[w] = A_leave  ==> begin in_cs := in_cs - 1; pc[w] := A_un2; end;
  rule "A: unlock m2" pc[w] = A_un2   ==> begin m2 := false; pc[w] := A_un1; end;
  rule "A: unlock m1" pc[w] = A_un1   ==> begin m1 := false; pc[w] := Head; end;
  rule "B: work"     pc[w] = Head     ==> begin work[w] := (work[w] + K - 1) % K; pc[w] := B_lock2; end;
  rule "B: lock m2"  pc[w] = B_lock2 & !m2 ==> begin m2 := true; pc[w] := B_enter; end;
  rule "B: enter"    pc[w] = B_enter  ==> begin in_cs := in_cs + 1; pc[w] := B_assert; end;
  rule "B: assert"   pc[w] = B_assert ==> begin assert in_cs = 1 "mutual exclusion on m2"; pc[w] := B_total; end;
  rule "B: total"    pc[w] = B_total  ==> begin total := (total + K - 1) % K; pc[w] := B_leave; end;
  rule "B: leave"    pc[w] = B_leave  ==> begin in_cs := in_cs - 1; pc[w] := B_un2; end;
  rule "B: unlock m2" pc[w] = B_un2   ==> begin m2 := false; pc[w] := Head; end;
end;
