#include "http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua::http {
namespace {

using State = RequestParser::State;

// Feeds the whole input (in pieces of `step` bytes, as a trickling client would send it) and
// returns the final state; `rest` receives what was left unconsumed.
State ParseAll(RequestParser& p, std::string_view input, size_t step = 1 << 20,
               std::string* rest = nullptr) {
  std::string buffered;
  size_t next = 0;
  while (true) {
    const size_t used = p.Feed(buffered);
    buffered.erase(0, used);
    if (p.state() == State::kHeadComplete) continue;
    if (p.state() != State::kNeedMore) break;
    if (next >= input.size()) break;
    const size_t n = std::min(step, input.size() - next);
    buffered.append(input.substr(next, n));
    next += n;
    // Never more buffered than the parser says it may need (plus the piece just added).
    EXPECT_LE(buffered.size(), p.MaxBufferedBytes() + n);
  }
  if (rest) *rest = buffered + std::string(input.substr(next));
  return p.state();
}

int ErrorStatus(std::string_view input, ParseLimits limits = {}) {
  RequestParser p(limits);
  if (ParseAll(p, input) != State::kError) return 0;
  EXPECT_FALSE(p.error().message_vi.empty());
  EXPECT_FALSE(p.error().message_en.empty());
  EXPECT_NE(p.error().message_vi, p.error().message_en);
  return p.error().status;
}

TEST(RequestParser, ParsesASimpleRequestWhateverTheSplit) {
  const std::string in =
      "GET /api/v1/procedures?q=h%E1%BB%99 HTTP/1.1\r\nHost: example.org\r\nX-A:  1 \r\n\r\n";
  for (size_t step : {1u, 2u, 7u, 1000u}) {
    RequestParser p;
    ASSERT_EQ(ParseAll(p, in, step), State::kComplete) << step;
    EXPECT_EQ(p.request().method, "GET");
    EXPECT_EQ(p.request().target, "/api/v1/procedures?q=h%E1%BB%99");
    EXPECT_EQ(p.request().Header("x-a"), "1");
    EXPECT_EQ(p.host(), "example.org");
    EXPECT_TRUE(p.keep_alive());
    EXPECT_EQ(p.version_minor(), 1);
  }
}

TEST(RequestParser, LeavesPipelinedRequestsUnconsumed) {
  const std::string second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  RequestParser p;
  std::string rest;
  ASSERT_EQ(ParseAll(p, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" + second, 1 << 20, &rest),
            State::kComplete);
  EXPECT_EQ(p.request().target, "/a");
  EXPECT_EQ(rest, second);
  p.Reset();
  ASSERT_EQ(ParseAll(p, rest), State::kComplete);
  EXPECT_EQ(p.request().target, "/b");
}

TEST(RequestParser, ContentLengthBody) {
  RequestParser p;
  std::string rest;
  ASSERT_EQ(
      ParseAll(p, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET", 3, &rest),
      State::kComplete);
  EXPECT_EQ(p.request().body, "hello");
  EXPECT_EQ(rest, "GET");
}

TEST(RequestParser, ChunkedBodyWithExtensionsAndTrailer) {
  const std::string in =
      "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n6 ; q=\"a b\"\r\n world\r\n0\r\nChecksum: 1\r\n\r\n";
  for (size_t step : {1u, 5u, 1000u}) {
    RequestParser p;
    ASSERT_EQ(ParseAll(p, in, step), State::kComplete) << step;
    EXPECT_EQ(p.request().body, "hello world");
    EXPECT_EQ(p.request().Header("checksum"), "");  // trailers are dropped, never merged
  }
}

TEST(RequestParser, LoneLineFeedsAndLeadingEmptyLinesAreAccepted) {
  RequestParser p;
  ASSERT_EQ(ParseAll(p, "\r\n\r\nGET / HTTP/1.1\nHost: x\n\n"), State::kComplete);
  EXPECT_EQ(p.request().target, "/");
}

TEST(RequestParser, ExpectContinueOnlyForHttp11WithABody) {
  RequestParser p;
  p.Feed("POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  ASSERT_EQ(p.state(), State::kHeadComplete);
  EXPECT_TRUE(p.expects_continue());
  RequestParser q;
  q.Feed("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  ASSERT_EQ(q.state(), State::kHeadComplete);
  EXPECT_FALSE(q.expects_continue());
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n"), 417);
}

TEST(RequestParser, KeepAliveFollowsVersionAndConnection) {
  const auto keep = [](std::string_view in) {
    RequestParser p;
    EXPECT_EQ(ParseAll(p, in), State::kComplete) << in;
    return p.keep_alive();
  };
  EXPECT_TRUE(keep("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keep("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
}

TEST(RequestParser, AbsoluteFormIsReducedToOriginForm) {
  RequestParser p;
  ASSERT_EQ(ParseAll(p, "GET http://Example.org:8080/healthz?a=1 HTTP/1.1\r\nHost: other\r\n\r\n"),
            State::kComplete);
  EXPECT_EQ(p.request().target, "/healthz?a=1");
  EXPECT_EQ(p.host(), "Example.org:8080");
  RequestParser q;
  ASSERT_EQ(ParseAll(q, "GET http://h HTTP/1.1\r\nHost: h\r\n\r\n"), State::kComplete);
  EXPECT_EQ(q.request().target, "/");
  EXPECT_EQ(ErrorStatus("GET http://user@h/ HTTP/1.1\r\nHost: h\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n"), 400);
}

TEST(RequestParser, RefusesAmbiguousFraming) {
  const std::string head = "POST /x HTTP/1.1\r\nHost: x\r\n";
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: xchunked\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: chunked, identity\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: identity\r\nContent-Length: 3\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
            400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: gzip, chunked\r\n\r\n"), 501);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding:\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding: chunked;x=1\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Transfer-Encoding : chunked\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "X-A: 1\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n"), 400);
  for (const char* bad : {"+5", "5a", "-1", "0x5", " ", "5, 5", "123456789012345678901234567890"}) {
    EXPECT_EQ(ErrorStatus(head + "Content-Length: " + bad + "\r\n\r\n"), 400) << bad;
  }
  EXPECT_EQ(ErrorStatus(head + "X-A: a\rb\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + std::string("X-A: a\0b\r\n\r\n", 12)), 400);  // NUL inside
  // Identical repeated Content-Length values are one length (RFC 9110 §8.6).
  RequestParser p;
  ASSERT_EQ(ParseAll(p, head + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nok"),
            State::kComplete);
  EXPECT_EQ(p.request().body, "ok");
}

TEST(RequestParser, RefusesMalformedChunks) {
  const std::string head = "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(ErrorStatus(head + "z\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "5\r\nhelloX\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "5\r\nhello\rX"), 400);
  EXPECT_EQ(ErrorStatus(head + "5 x\r\nhello\r\n"), 400);
  EXPECT_EQ(ErrorStatus(head + "FFFFFFFFFFFFFFFFFFFF\r\n"), 413);
  EXPECT_EQ(ErrorStatus(head + "1;x=" + std::string(kMaxChunkLineBytes, 'e')), 400);
}

TEST(RequestParser, EveryPartOfAMessageIsBounded) {
  ParseLimits limits;
  limits.max_header_bytes = 1024;
  limits.max_body_bytes = 100;
  limits.max_header_fields = 10;
  EXPECT_EQ(ErrorStatus("GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n", limits), 414);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n", limits),
            431);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 11; ++i) many += "A: 1\r\n";
  EXPECT_EQ(ErrorStatus(many + "\r\n", limits), 431);
  EXPECT_EQ(ErrorStatus("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", limits), 413);
  const std::string chunked = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(ErrorStatus(chunked + "40\r\n" + std::string(64, 'a') + "\r\n40\r\n", limits), 413);
  // The trailer that once threw out of Beast's parser and ended the process.
  EXPECT_EQ(ErrorStatus(chunked + "0\r\nX: " + std::string(65534, 'b') + "\r\n\r\n", limits), 431);
  EXPECT_EQ(ErrorStatus(chunked + "0\r\nX: " + std::string(65534, 'b') + "\r\n\r\n"), 431);
  std::string trailers = chunked + "0\r\n";
  for (int i = 0; i < 11; ++i) trailers += "T: 1\r\n";
  EXPECT_EQ(ErrorStatus(trailers + "\r\n", limits), 431);
}

TEST(RequestParser, RequestLineAndHost) {
  EXPECT_EQ(ErrorStatus("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.2\r\nHost: x\r\n\r\n"), 0);  // read as HTTP/1.1
  EXPECT_EQ(ErrorStatus("GET / HTTP/3.0\r\nHost: x\r\n\r\n"), 505);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.10\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET /\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus(std::string(100, 'A') + " / HTTP/1.1\r\nHost: x\r\n\r\n"), 501);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nX(bad): 1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nnocolon\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.1\r\nHost: x/y\r\n\r\n"), 400);
  EXPECT_EQ(ErrorStatus("GET / HTTP/1.0\r\n\r\n"), 0);  // HTTP/1.0 may omit Host
}

TEST(HostValidation, AcceptsNamesAddressesAndPorts) {
  for (const char* ok : {"localhost", "localhost:8080", "127.0.0.1", "[::1]", "[::1]:80",
                         "dichvucong.hanoi.gov.vn", "a-b.example:1"}) {
    EXPECT_TRUE(IsValidHost(ok)) << ok;
  }
  for (const char* bad :
       {"", "a b", "x/y", "[::1", "[::1]x", "h:port", "h:123456", ":80", "a@b", "[]"}) {
    EXPECT_FALSE(IsValidHost(bad)) << bad;
  }
}

TEST(AcceptEncoding, FollowsQValuesCaseAndWildcards) {
  for (const char* yes : {"gzip", "GZip", "gzip;q=0.5", "*", "deflate, gzip;q=1.0",
                          "br;q=1, gzip;q=0.1", "*;q=0, gzip", "gzip ; q=0.001", "x-gzip"}) {
    EXPECT_TRUE(AcceptsGzip(yes)) << yes;
  }
  for (const char* no :
       {"", "gzip;q=0", "gzip; q=0", "gzip;q=0.000", "gzip;Q=0", "GZIP;q=0", "*;q=0", "identity",
        "br", "gzip;q=2", "gzip;q=0.0001", "gzip;q=abc", "*;q=0.5, gzip;q=0"}) {
    EXPECT_FALSE(AcceptsGzip(no)) << no;
  }
}

}  // namespace
}  // namespace motcua::http

namespace motcua::http {
namespace {

TEST(ResponseHeaders, NamesAreTokensAndValuesHaveNoLineBreaksOrNul) {
  EXPECT_TRUE(IsFieldName("Content-Disposition"));
  EXPECT_FALSE(IsFieldName(""));
  EXPECT_FALSE(IsFieldName("Bad Name"));
  EXPECT_FALSE(IsFieldName("X:Y"));
  EXPECT_TRUE(IsFieldValue("attachment; filename=\"ho-so.pdf\""));
  EXPECT_TRUE(IsFieldValue("a\tb"));
  EXPECT_TRUE(IsFieldValue("h\xc3\xb4"));  // obs-text passes; only controls are refused
  EXPECT_FALSE(IsFieldValue("a\r\nSet-Cookie: x=1"));
  EXPECT_FALSE(IsFieldValue("a\nb"));
  EXPECT_FALSE(IsFieldValue(std::string("a\0b", 3)));
  EXPECT_FALSE(IsFieldValue("a\x7f"));
}

}  // namespace
}  // namespace motcua::http
