# xgrad_add_boost_test(<target> <sources...>): builds a Boost.Test executable and registers one CTest
# test per test case, discovered after the build from `<exe> --list_content` (like gtest_discover_tests).
function(xgrad_add_boost_test target)
  add_executable(${target} ${ARGN})
  target_link_libraries(${target} PRIVATE xgrad::nn Boost::unit_test_framework)
  target_compile_definitions(${target} PRIVATE BOOST_TEST_DYN_LINK XTENSOR_ENABLE_ASSERT)
  # Boost.Test and xgrad's headers are precompiled once per test executable (~25 % off each test's compile).
  # (Not -O1 for the tests: their copies of inline templates interpose the library's -O3 ones and changed the
  # bits of the VAE's bit-identity tests.)
  if(XGRAD_PRECOMPILED_TEST_HEADERS)
    target_precompile_headers(${target} PRIVATE <boost/test/unit_test.hpp> ${PROJECT_SOURCE_DIR}/autograd/xgrad.hpp)
  endif()
  # Unity build: the test files of one executable compiled 6 to a translation unit, so the headers and the
  # template instances they share are compiled once per batch (CI time; a test file's helpers therefore need
  # names of their own within its folder).
  if(XGRAD_UNITY_TESTS)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 6)
  endif()
  # test_main.cpp defines BOOST_TEST_MODULE before its include, which generates main(): alone, without the PCH.
  foreach(src IN LISTS ARGN)
    if(src MATCHES "test_main\\.cpp$")
      set_source_files_properties(${src} TARGET_DIRECTORY ${target} PROPERTIES SKIP_PRECOMPILE_HEADERS ON
                                  SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endforeach()
  xgrad_warnings(${target})
  set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_tests.cmake)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:${target}> -DOUT=${list_file} -DNAME=${target}
            -DWORKDIR=${CMAKE_CURRENT_BINARY_DIR}
            -P ${PROJECT_SOURCE_DIR}/cmake/BoostTestList.cmake
    VERBATIM)
  # Included by ctest through a guard: an executable that was not built shows as one failing test
  # instead of aborting the whole ctest run.
  set(guard_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake)
  file(WRITE ${guard_file}
       "if(EXISTS \"${list_file}\")\n  include(\"${list_file}\")\nelse()\n"
       "  add_test(${target}/NOT_BUILT ${CMAKE_COMMAND} -E false)\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${guard_file})
endfunction()
