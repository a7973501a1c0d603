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

# The libraries TARGET links, directly or through others (our own targets only).
function(streamsim_linked_libraries target out)
  set(seen "")
  set(queue ${target})
  while(queue)
    list(POP_FRONT queue current)
    if(NOT TARGET ${current} OR current IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${current})
    get_target_property(links ${current} LINK_LIBRARIES)
    if(links)
      list(APPEND queue ${links})
    endif()
  endwhile()
  list(REMOVE_ITEM seen ${target})
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

# streamsim_forbid_links(TARGET FORBIDDEN...): configuring fails when TARGET links any of
# FORBIDDEN, directly or not — how the layering of docs/architecture.md is kept.
function(streamsim_forbid_links target)
  streamsim_linked_libraries(${target} linked)
  foreach(forbidden ${ARGN})
    if(forbidden IN_LIST linked)
      message(FATAL_ERROR "${target} must not link ${forbidden} (docs/architecture.md)")
    endif()
  endforeach()
endfunction()
