# Lasso counterexamples through JSON and iomc replay (tests/CMakeLists.txt registers it): a
# lasso written by check replays, and replay checks that its cycle returns to its first state
# and that weak fairness holds on it; a tampered lasso is an error (exit 2) with the reason.
include(${CMAKE_CURRENT_LIST_DIR}/expect_run.cmake)
set(trace ${WORK_DIR}/choice.json)

run(1 "written to ${trace} (json)"
    check tests/fixtures/liveness.mc --variant choice --property finishes --trace-format json --trace-out ${trace})
run(1 "the violation reproduces: liveness finishes: a fair run never reaches the goal (the cycle returns to its first state, weak fairness holds on it, and the goal holds nowhere on it)"
    replay ${trace} --trace-format none)
run(1 "<- the cycle starts here" replay ${trace} --trace-format steps)
run(1 "<- the cycle starts" replay ${trace} --trace-format columns)
run(1 "[style=bold, color=blue, label=\"cycle\"]" replay ${trace} --trace-format dot)

file(READ ${trace} text)
# An 'eventually' lasso starts at the initial state.
replay_tampered(moved "\"trigger_at\": 0" "\"trigger_at\": 1" "an 'eventually' lasso starts at the initial state")
# A cycle start past the end of the steps.
replay_tampered(late "\"cycle_start\": [0-9]+" "\"cycle_start\": 99" "do not fit its")

# A run that ends: the worker quits without done and nothing else can step.
set(alone ${WORK_DIR}/alone.json)
run(1 "a run of 5 steps that ends where no process can step"
    check tests/fixtures/liveness.mc --variant quit_alone --property finishes --trace-format steps)
run(1 "written to ${alone} (json)"
    check tests/fixtures/liveness.mc --variant quit_alone --property finishes --trace-format json --trace-out ${alone})
run(1 "(the run ends: no process can step, and the goal never holds)" replay ${alone} --trace-format none)
