// The console's static files (assets/: index.html, app.css, app.js, alert.wav), embedded
// in the binary at build time (embed_assets.cmake writes assets_data.cc), so a deploy is
// one file and the pages load nothing from anywhere else.
#pragma once

#include <string_view>
#include <vector>

namespace picket::console {

struct Asset {
  std::string_view path;          // "/app.js"; "/" is index.html
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
};

// Every asset; stable for the life of the process.
const std::vector<Asset>& EmbeddedAssets();

}  // namespace picket::console
