# Out of memory is never a crash (tests/CMakeLists.txt registers it; not in sanitizer builds,
# whose shadow memory needs more address space than the limit below). Under `ulimit -v` of
# about 195 MiB, the scenario's whole state graph at N_DEVS=3 (779,554 states, which the
# liveness property needs) does not fit:
# - by default the memory cap is 3/4 of what the process may use, address space included, so
#   the graph stops as incomplete, with the safety verdicts and the statistics (exit 3);
# - with the cap off (--max-memory 0) an allocation fails, and iomc says so and exits 3,
#   instead of aborting on an uncaught std::bad_alloc.
file(MAKE_DIRECTORY ${WORK_DIR})

function(limited expect_out)
  execute_process(COMMAND sh -c "ulimit -v 200000 && exec \"$0\" \"$@\"" ${IOMC} check
                          models/scenarios/probe_iommu_group_race.mc --variant a_612_stable -D types::N_DEVS=3 ${ARGN}
                  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code STREQUAL "3")
    message(FATAL_ERROR "iomc check ... ${ARGN}: exit ${code}, expected 3\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  string(FIND "${out}${err}" "${expect_out}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "iomc check ... ${ARGN}: output lacks '${expect_out}'\nstdout:\n${out}\nstderr:\n${err}")
  endif()
endfunction()

limited("bytes reached (the default: 3/4 of the memory this process may use; --max-memory sets another, 0 for none) on the whole state graph before a verdict on ops::eventually_probed; every other checked property holds in every interleaving (ops::eventually_probed is not proved)")
limited("iomc: error: out of memory: no verdict." --max-memory 0)
