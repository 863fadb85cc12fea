# Runs one end-to-end case: CASE_DIR/cmd holds the arguments to iomc (one line, run from the
# source tree); CASE_DIR/exit_code the expected exit code; CASE_DIR/stdout.expected the exact
# expected standard output. A missing expected file is a failure, not a pass.
foreach(f cmd exit_code stdout.expected)
  if(NOT EXISTS ${CASE_DIR}/${f})
    message(FATAL_ERROR "${CASE_DIR}/${f} is missing")
  endif()
endforeach()
file(READ ${CASE_DIR}/cmd args)
string(STRIP "${args}" args)
separate_arguments(arg_list UNIX_COMMAND "${args}")
file(READ ${CASE_DIR}/exit_code want_code)
string(STRIP "${want_code}" want_code)
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(COMMAND ${IOMC} ${arg_list}
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
file(WRITE ${WORK_DIR}/stdout.actual "${out}")
file(WRITE ${WORK_DIR}/stderr.actual "${err}")
# Timing figures vary: replace "<n>.<nn> s" and "(<rate> states/s)" and memory sizes with placeholders.
string(REGEX REPLACE "[0-9]+\\.[0-9]+ s \\([0-9.]+[KM]? states/s\\)" "<time>" out "${out}")
string(REGEX REPLACE "[0-9.]+ (B|KiB|MiB|GiB) stored" "<memory> stored" out "${out}")
string(REGEX REPLACE "\"seconds\": [0-9.e+-]+" "\"seconds\": <time>" out "${out}")
string(REGEX REPLACE "\"peak_memory_bytes\": [0-9]+" "\"peak_memory_bytes\": <memory>" out "${out}")
# The model id hashes the compiled bytecode: stable for a given build, but any compiler change
# moves it, and no e2e case is about its value.
string(REGEX REPLACE "\"model_id\": \"[0-9a-f]+\"" "\"model_id\": \"<model_id>\"" out "${out}")
string(REGEX REPLACE "  +[0-9]+\\.[0-9]+s" "  <time>" out "${out}")
file(READ ${CASE_DIR}/stdout.expected want)
if(NOT code STREQUAL want_code)
  message(FATAL_ERROR "exit code ${code}, expected ${want_code}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(EXISTS ${CASE_DIR}/stderr.expected)
  file(READ ${CASE_DIR}/stderr.expected want_err)
  if(NOT err STREQUAL want_err)
    message(FATAL_ERROR "stderr differs from stderr.expected:\n--- got ---\n${err}--- expected ---\n${want_err}")
  endif()
endif()
if(NOT out STREQUAL want)
  file(WRITE ${WORK_DIR}/stdout.normalized "${out}")
  message(FATAL_ERROR "stdout differs from stdout.expected (normalized output in ${WORK_DIR}/stdout.normalized):\n"
                      "--- got ---\n${out}--- expected ---\n${want}")
endif()
