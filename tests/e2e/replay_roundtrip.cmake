# Round trip of JSON traces through iomc replay (tests/CMakeLists.txt registers it): a trace
# written by check replays and reproduces; on the fixed variant it stops at the first step that
# cannot fire; a tampered, a foreign and a truncated trace are errors (exit 2) with the reason;
# a schedule query's JSON run replays the same way.
include(${CMAKE_CURRENT_LIST_DIR}/expect_run.cmake)
set(trace ${WORK_DIR}/racy.json)

run(1 "counterexample (4 steps, shortest) written to"
    check tests/fixtures/lost_update.mc --variant racy --trace-format json --trace-out ${trace})
run(1 "replayed 4 steps on tests/fixtures/lost_update.mc (variant racy): the violation reproduces: invariant counted"
    replay ${trace} --trace-format none)
run(1 "violated: invariant counted" replay ${trace})
run(0 "the trace of variant racy does not replay on variant fixed: step 1: worker(0) 't = x' (tests/fixtures/lost_update.mc:48) cannot fire here; worker(0) is at tests/fixtures/lost_update.mc:46: atomic { t = x; x = t + 1; }"
    replay ${trace} --variant fixed)
run(2 "unknown variant 'fast'; available: racy, fixed" replay ${trace} --variant fast)

file(READ ${trace} text)
# A step that names a group the model does not have.
replay_tampered(tampered "\"group\": 0," "\"group\": 999," "tampered.json: step 1: there is no transition group 999 in this model")
# A step whose outcome does not exist there.
replay_tampered(outcome "\"outcome\": 0" "\"outcome\": 7" "outcome.json: step 1: worker(0) 't = x' has 1 outcome here, not 8")
# A trace of another model (its id differs).
replay_tampered(foreign "\"model_id\": \"[0-9a-f]+\"" "\"model_id\": \"0123456789abcdef\""
                "foreign.json was made from another model: its model id is 0123456789abcdef")
# A file cut short.
string(SUBSTRING "${text}" 0 200 cut)
file(WRITE ${WORK_DIR}/cut.json "${cut}")
run(2 "cut.json: " replay ${WORK_DIR}/cut.json)
run(2 "not valid JSON" replay ${WORK_DIR}/cut.json)
run(2 "cannot open" replay ${WORK_DIR}/missing.json)

# A schedule query's run, with a 'violates' line, is a counterexample like check's: written as
# JSON it replays, and on the fixed variant replay stops where the fix changes the path.
set(qtrace ${WORK_DIR}/t1.json)
run(0 "run (38 steps, shortest) written to ${qtrace} (json)"
    query models/scenarios/probe_iommu_group_race.mc --variant a_66
    --schedule models/scenarios/probe_iommu_group_race.t1.sched --trace-format json --trace-out ${qtrace})
run(1 "replayed 38 steps on models/scenarios/probe_iommu_group_race.mc (variant a_66): the violation reproduces: invariant ops::dma_iommu_before_probe_complete (d = 0)"
    replay ${qtrace} --trace-format none)
run(0 "the trace of variant a_66 does not replay on variant a_66_fix: step 24: client(0) 'return r' (models/linux/iommu_core.mc:475) cannot fire here"
    replay ${qtrace} --variant a_66_fix --trace-format none)
