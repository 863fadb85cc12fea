# IOMC_SANITIZE=ON builds everything with AddressSanitizer + UBSan (the asan preset).
if(IOMC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
