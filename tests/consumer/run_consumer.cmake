# cmake -DBUILD_DIR=<xgrad build> -DSOURCE_DIR=<this folder> -DWORK_DIR=<scratch> [-DCXX=<compiler>]
#       [-DMPI_LAUNCH=<tests/distributed/mpirun.sh>] -P run_consumer.cmake
# Installs the xgrad build into WORK_DIR/prefix, then configures, builds and runs the consumer against it. With
# MPI_LAUNCH (an xgrad built with MPI) the consumer must find xgrad::distributed, and its distributed program runs
# as 2 ranks through MPI_LAUNCH.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer.cmake: ${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
set(compiler_arg "")
if(DEFINED CXX)
  set(compiler_arg -DCMAKE_CXX_COMPILER=${CXX})
endif()
set(distributed_arg -DXGRAD_EXPECT_DISTRIBUTED=OFF)
if(DEFINED MPI_LAUNCH)
  set(distributed_arg -DXGRAD_EXPECT_DISTRIBUTED=ON)
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix ${compiler_arg} ${distributed_arg})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build -j 2)
run(${WORK_DIR}/build/xgrad_consumer)
if(DEFINED MPI_LAUNCH)
  run(bash ${MPI_LAUNCH} 2 ${WORK_DIR}/build/xgrad_consumer_distributed)
endif()
