# Shared by the round-trip scripts (replay_roundtrip.cmake, liveness_roundtrip.cmake): makes
# WORK_DIR and defines run(EXPECT_CODE EXPECT_OUT ARGS...), which runs iomc ARGS in SOURCE_DIR
# and fails the script unless the exit status is EXPECT_CODE and stdout or stderr contains
# EXPECT_OUT, and replay_tampered(NAME REGEX REPLACEMENT EXPECT_OUT), which writes the caller's
# trace text `text` with REGEX replaced to WORK_DIR/NAME.json and expects `iomc replay` of it to
# be refused (exit 2) with EXPECT_OUT.
file(MAKE_DIRECTORY ${WORK_DIR})

function(run expect_code expect_out)
  execute_process(COMMAND ${IOMC} ${ARGN} WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code STREQUAL expect_code)
    message(FATAL_ERROR "iomc ${ARGN}: exit ${code}, expected ${expect_code}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  string(FIND "${out}${err}" "${expect_out}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "iomc ${ARGN}: output lacks '${expect_out}'\nstdout:\n${out}\nstderr:\n${err}")
  endif()
endfunction()

function(replay_tampered name regex replacement expect_out)
  string(REGEX REPLACE "${regex}" "${replacement}" tampered "${text}")
  file(WRITE ${WORK_DIR}/${name}.json "${tampered}")
  run(2 "${expect_out}" replay ${WORK_DIR}/${name}.json)
endfunction()
