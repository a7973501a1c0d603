# How every streamsim module is built: one static library per folder (sources found recursively),
# our warnings as errors. (Precompiled headers were tried and dropped: with -g the header file is
# 120-180 MB and loading it cost what parsing saved; and GCC 12 then reports warnings from inside
# the standard headers as ours.)

# streamsim_library(NAME FOLDER [LINKS targets...] [OPTIONS compile options...])
# Builds FOLDER/**/*.cc into the static library NAME, linking LINKS publicly, compiled with our
# warnings and OPTIONS.
function(streamsim_library name folder)
  cmake_parse_arguments(ARG "" "" "LINKS;OPTIONS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${folder}/*.cc)
  add_library(${name} STATIC ${sources})
  target_compile_options(${name} PRIVATE ${STREAMSIM_WARNINGS} ${ARG_OPTIONS})
  target_link_libraries(${name} PUBLIC ${ARG_LINKS} fmt::fmt nlohmann_json::nlohmann_json)
endfunction()
