# Cross toolchain for the freestanding s390x firmware image (Debian g++-s390x-linux-gnu).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)
set(CMAKE_ASM_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_OBJCOPY s390x-linux-gnu-objcopy CACHE FILEPATH "")
set(CMAKE_STRIP s390x-linux-gnu-strip CACHE FILEPATH "")
# The image links with its own linker script; skip CMake's test link of a hosted program.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CCWBOOT_IMAGE ON CACHE BOOL "Build the s390x firmware image" FORCE)
