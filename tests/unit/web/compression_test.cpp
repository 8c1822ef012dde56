#include "web/compression.h"

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace codezero::web {
namespace {

std::string Gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + 15), Z_OK);  // gzip wrapper: header and CRC are checked
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  EXPECT_EQ(result, Z_STREAM_END) << "the gzip stream must be complete and its CRC right";
  return out;
}

std::string Unbrotli(const std::string& compressed) {
  std::string out(1 << 20, '\0');
  std::size_t size = out.size();
  const auto result = BrotliDecoderDecompress(
      compressed.size(), reinterpret_cast<const std::uint8_t*>(compressed.data()), &size,
      reinterpret_cast<std::uint8_t*>(out.data()));
  EXPECT_EQ(result, BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

std::string PageLike(std::size_t repeat) {
  std::string page = "<!DOCTYPE html><html lang=\"de\"><body>";
  for (std::size_t i = 0; i < repeat; ++i) {
    page += "<p class=\"line\">Zusätzlicher Sitz × " + std::to_string(i) + " – 15,00 €</p>\n";
  }
  return page;
}

TEST(Compression, EveryEncodingOfPrefixAndTailDecodesToTheSameBytes) {
  for (const std::size_t repeat : {0UL, 1UL, 50UL, 2'000UL}) {
    const std::string prefix = PageLike(repeat);
    const CompressedPrefix compressed = CompressPrefix(prefix);
    for (const std::string& tail :
         {std::string(), std::string("<script nonce=\"abc\"></script></body></html>"),
          std::string(40'000, 'x'), std::string(65'535, 'y'), std::string(65'536, 'z'),
          std::string(200'001, 'w')}) {
      std::string identity, gzip, brotli;
      AppendBody(ContentEncoding::kIdentity, prefix, compressed, tail, identity);
      AppendBody(ContentEncoding::kGzip, prefix, compressed, tail, gzip);
      AppendBody(ContentEncoding::kBrotli, prefix, compressed, tail, brotli);
      EXPECT_EQ(identity, prefix + tail);
      EXPECT_EQ(Gunzip(gzip), prefix + tail) << repeat << " lines, tail " << tail.size();
      EXPECT_EQ(Unbrotli(brotli), prefix + tail) << repeat << " lines, tail " << tail.size();
    }
  }
}

TEST(Compression, TheSharedPartIsCompressedOnceAndTwoTailsDiffer) {
  const std::string prefix = PageLike(500);
  const CompressedPrefix compressed = CompressPrefix(prefix);
  EXPECT_LT(compressed.brotli.size(), prefix.size() / 4);
  EXPECT_LT(compressed.gzip.size(), prefix.size() / 4);
  std::string first, second;
  AppendBody(ContentEncoding::kGzip, prefix, compressed, "nonce-1", first);
  AppendBody(ContentEncoding::kGzip, prefix, compressed, "nonce-2", second);
  EXPECT_NE(first, second);
  EXPECT_EQ(Gunzip(second), prefix + "nonce-2");
}

TEST(NegotiateEncoding, PrefersBrotliThenGzipAndHonoursZeroQuality) {
  EXPECT_EQ(NegotiateEncoding(""), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("gzip, deflate, br, zstd"), ContentEncoding::kBrotli);
  EXPECT_EQ(NegotiateEncoding("gzip, deflate"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("br;q=0, gzip"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("br;q=0.5, gzip;q=0.9"), ContentEncoding::kGzip);
  EXPECT_EQ(NegotiateEncoding("*"), ContentEncoding::kBrotli);
  EXPECT_EQ(NegotiateEncoding("*;q=0"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("identity"), ContentEncoding::kIdentity);
  EXPECT_EQ(NegotiateEncoding("GZIP"), ContentEncoding::kGzip);
}

}  // namespace
}  // namespace codezero::web
