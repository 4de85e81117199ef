# picket-tally: the fixture service of the multi-process tests (tests/support/tally_service.cc).
# Included from tests/CMakeLists.txt:  include(support/tally.cmake)
add_executable(picket-tally ${CMAKE_CURRENT_LIST_DIR}/tally_service.cc)
target_link_libraries(picket-tally PRIVATE picket_runtime CLI11::CLI11
                      nlohmann_json::nlohmann_json)
target_compile_features(picket-tally PRIVATE cxx_std_20)
