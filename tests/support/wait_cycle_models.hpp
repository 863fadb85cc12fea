// SPDX-License-Identifier: MIT
/// @file Models with wait cycles (processes blocked at `lock` on mutexes held by each other)
/// beside a process that runs forever, so that only the wait-cycle check can report their
/// deadlocks: shared by the explicit engine's tests (tests/checker/explore/wait_cycle_test.cpp)
/// and the symbolic engines' (tests/checker/symbolic/wait_cycle_test.cpp), which must agree.
#pragma once

#include <string>

namespace iomc::testing::wait_models {

// hw toggles forever, so there is no state without a step: the old check said "holds".
inline const char* const kAbbaBusy = R"(var a: mutex;
var b: mutex;
var polls: 0..1;
process t1 { lock(a); lock(b); unlock(b); unlock(a); }
process t2 { lock(b); lock(a); unlock(a); unlock(b); }
process hw { while (true) { polls = 1 - polls; } }
)";

// Issue 10: the seed 004 shape. client takes its device lock, then the mutex of the group its
// device is in (an index the state selects); walker takes that group's mutex, then the device
// lock. setup moves device 0 into group 1 first (or not: then the two never meet).
inline const char* const kIndexedAbba = R"(var dev_mutex: mutex[0..1];
var group_mutex: mutex[0..1];
var dev_group: 0..1[0..1];
var polls: 0..1;
process setup { dev_group[0] = 1; }
process client { lock(dev_mutex[0]); lock(group_mutex[dev_group[0]]); unlock(group_mutex[dev_group[0]]); unlock(dev_mutex[0]); }
process walker { lock(group_mutex[1]); lock(dev_mutex[0]); unlock(dev_mutex[0]); unlock(group_mutex[1]); }
process hw { while (true) { polls = 1 - polls; } }
)";

// The same locks, but mover puts device 0 back into group 0: while mover can still take that
// step, client's wait for group_mutex[1] can end, so the cycle it forms with walker is no
// deadlock yet (issue 10). With mover's second step removed it is.
inline const char* const kMoverBreaks = R"(var dev_mutex: mutex[0..1];
var group_mutex: mutex[0..1];
var dev_group: 0..1[0..1];
var polls: 0..1;
process client { var g: 0..1; lock(dev_mutex[0]); atomic { lock(group_mutex[dev_group[0]]); g = dev_group[0]; } unlock(group_mutex[g]); unlock(dev_mutex[0]); }
process walker { lock(group_mutex[1]); lock(dev_mutex[0]); unlock(dev_mutex[0]); unlock(group_mutex[1]); }
process mover { dev_group[0] = 1; dev_group[0] = 0; }
process hw { while (true) { polls = 1 - polls; } }
)";

/// kMoverBreaks with mover's second step removed: once mover has run, the cycle is a deadlock.
inline std::string mover_stays() {
    std::string text = kMoverBreaks;
    text.replace(text.find(" dev_group[0] = 0;"), 18, "");
    return text;
}

/// kMoverBreaks where mover first takes dev_mutex[0], which client holds in the cycle: mover
/// waits for the cycle itself, so it does not keep the cycle open.
inline std::string mover_waits() {
    std::string text = kMoverBreaks;
    text.replace(text.find(" dev_group[0] = 0;"), 18, " lock(dev_mutex[0]); dev_group[0] = 0; unlock(dev_mutex[0]);");
    return text;
}

// t1 holds a and waits for dom.lock, t2 holds dom.lock and waits for a: a cycle through a
// mutex in an object with a lifetime, whose use-after-free check runs before the lock (had the
// object been freed, t1's step would report instead of blocking).
inline const char* const kLifetimeCycle = R"(struct Domain { refs: kref(1) lifetime; lock: mutex; }
var dom: Domain;
var a: mutex;
var polls: 0..1;
process t1 { lock(a); lock(dom.lock); unlock(dom.lock); unlock(a); }
process t2 { lock(dom.lock); lock(a); unlock(a); unlock(dom.lock); }
process hw { while (true) { polls = 1 - polls; } }
process init { kref_init(dom.refs); }
)";

}  // namespace iomc::testing::wait_models
