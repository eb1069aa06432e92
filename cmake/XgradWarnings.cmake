# Warnings for xgrad's own targets. GCC 12 reports -Wmaybe-uninitialized false positives inside
# xsimd's AVX-512 intrinsics, so that one warning is off (toolchain note 17).
function(xgrad_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-maybe-uninitialized)
endfunction()
