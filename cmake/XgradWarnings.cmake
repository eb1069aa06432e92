# Warnings for xgrad's own targets. GCC 12 reports -Wmaybe-uninitialized false positives inside
# xsimd's AVX-512 intrinsics, so that one warning is off (toolchain note 17); clang has no such warning.
function(xgrad_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endfunction()
