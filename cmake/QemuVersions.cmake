# Tests that run qemu-system-s390x run once per QEMU version:
# Debian 12's QEMU 7.2 (the system's) and QEMU 10.0 from bookworm-backports,
# fetched into the build tree by scripts/fetch-qemu10.sh (the `qemu10` fixture).
#
#   ccwboot_add_qemu_test(NAME <name> COMMAND <command...> [PROPERTIES <prop> <value>...])
#
# adds <name>.qemu72 and <name>.qemu10 with the same command and properties.
# The command finds its QEMU in the environment (tests/qemu/qemu_run.py reads it):
#   CCWBOOT_QEMU          the qemu-system-s390x to run
#   CCWBOOT_QEMU_BIOS     that QEMU's own s390-ccw.img (the peer firmware)
#   CCWBOOT_QEMU_VERSION  "7.2" or "10.0"
# CCWBOOT_QEMU_VERSIONS (cache) limits the versions, e.g. -DCCWBOOT_QEMU_VERSIONS=10.
set(CCWBOOT_QEMU_VERSIONS "72;10" CACHE STRING "QEMU versions the emulator tests run under (72, 10)")
set(CCWBOOT_QEMU10_DIR "${CMAKE_BINARY_DIR}/qemu10" CACHE PATH
    "Where scripts/fetch-qemu10.sh unpacks QEMU 10.0")

set(_ccwboot_qemu72_env
    "CCWBOOT_QEMU=qemu-system-s390x"
    "CCWBOOT_QEMU_BIOS=/usr/share/qemu/s390-ccw.img"
    "CCWBOOT_QEMU_VERSION=7.2")
set(_ccwboot_qemu10_env
    "CCWBOOT_QEMU=${CCWBOOT_QEMU10_DIR}/bin/qemu-system-s390x"
    "CCWBOOT_QEMU_BIOS=${CCWBOOT_QEMU10_DIR}/usr/share/qemu/s390-ccw.img"
    "CCWBOOT_QEMU_VERSION=10.0")

if("10" IN_LIST CCWBOOT_QEMU_VERSIONS AND NOT TEST qemu10.fetch)
  add_test(NAME qemu10.fetch
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/fetch-qemu10.sh ${CCWBOOT_QEMU10_DIR})
  set_tests_properties(qemu10.fetch PROPERTIES
    LABELS "qemu;linux" TIMEOUT 600 FIXTURES_SETUP qemu10)
endif()

function(ccwboot_add_qemu_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "COMMAND;PROPERTIES;VERSIONS")
  if(NOT arg_NAME OR NOT arg_COMMAND)
    message(FATAL_ERROR "ccwboot_add_qemu_test: NAME and COMMAND are required")
  endif()
  # VERSIONS (optional): only these, for a case an older QEMU cannot express.
  set(_versions ${CCWBOOT_QEMU_VERSIONS})
  if(arg_VERSIONS)
    list(FILTER _versions INCLUDE REGEX "^(${arg_VERSIONS})$")
  endif()
  foreach(v ${_versions})
    set(_name ${arg_NAME}.qemu${v})
    add_test(NAME ${_name} COMMAND ${arg_COMMAND})
    if(arg_PROPERTIES)
      set_tests_properties(${_name} PROPERTIES ${arg_PROPERTIES})
    endif()
    set_property(TEST ${_name} APPEND PROPERTY ENVIRONMENT ${_ccwboot_qemu${v}_env})
    if(v STREQUAL "10")
      set_property(TEST ${_name} APPEND PROPERTY FIXTURES_REQUIRED qemu10)
    endif()
  endforeach()
endfunction()
