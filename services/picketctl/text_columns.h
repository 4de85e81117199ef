// Plain-text tables for picketctl's human output.
#pragma once

#include <string>
#include <vector>

namespace picket {

// Lays out rows of cells in left-aligned columns two spaces apart, one line per row (each
// ending in '\n'); a row may have fewer cells than the widest. Widths count bytes.
std::string Columns(const std::vector<std::vector<std::string>>& rows);

}  // namespace picket
