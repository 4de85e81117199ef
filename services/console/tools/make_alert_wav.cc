// Build-time tool: writes the console's alert sound, a short two-tone chime, as a WAV
// file (16-bit mono PCM, 16 kHz). Generated from code so that nothing is downloaded and
// the repository holds no binary file.
//
//   console_make_alert_wav OUT.wav
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace {

void Put(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  constexpr int kRate = 16000;
  constexpr double kPi = 3.14159265358979323846;
  // Three beeps: 880 Hz, 660 Hz, 880 Hz, 0.18 s each with 0.06 s of silence between.
  const double tones[] = {880.0, 660.0, 880.0};
  std::vector<int16_t> samples;
  for (double f : tones) {
    int n = kRate * 18 / 100;
    for (int i = 0; i < n; ++i) {
      double t = static_cast<double>(i) / kRate;
      double envelope = std::min(1.0, std::min(i, n - i) / (0.01 * kRate));  // no clicks
      samples.push_back(static_cast<int16_t>(12000 * envelope * std::sin(2 * kPi * f * t)));
    }
    samples.insert(samples.end(), kRate * 6 / 100, 0);
  }
  std::string out = "RIFF";
  uint32_t data_bytes = static_cast<uint32_t>(samples.size() * 2);
  Put(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  Put(out, 16, 4);         // fmt chunk size
  Put(out, 1, 2);          // PCM
  Put(out, 1, 2);          // mono
  Put(out, kRate, 4);      // sample rate
  Put(out, kRate * 2, 4);  // byte rate
  Put(out, 2, 2);          // block align
  Put(out, 16, 2);         // bits per sample
  out += "data";
  Put(out, data_bytes, 4);
  for (int16_t s : samples) Put(out, static_cast<uint16_t>(s), 2);
  std::ofstream file(argv[1], std::ios::binary);
  file << out;
  return file ? 0 : 2;
}
