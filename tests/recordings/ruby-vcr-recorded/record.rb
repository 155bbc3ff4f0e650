# Records the cassettes in this folder with Ruby VCR, then replays them with VCR itself.
#
#   ruby record.rb ORIGIN OUTPUT_DIR   (run by record.py, which starts the test server)
#
# One cassette per serializer Ruby VCR ships (yaml, json, compressed) and one with
# decode_compressed_response; each replay's status and body (base64) go to expected.json.
require "base64"
require "json"
require "net/http"
require "vcr"
require "webmock"

origin, out = ARGV
ROUTES = ["/json?page=1", "/gzip", "/empty", "/binary"].freeze
CASSETTES = {
  "yaml" => { serialize_with: :yaml },
  "json" => { serialize_with: :json, preserve_exact_body_bytes: true },
  "compressed" => { serialize_with: :compressed },
  "decoded" => { serialize_with: :yaml, decode_compressed_response: true },
}.freeze

VCR.configure do |config|
  config.cassette_library_dir = out
  config.hook_into :webmock
end

def fetch_all(origin)
  ROUTES.map do |route|
    uri = URI(origin + route)
    request = Net::HTTP::Get.new(uri)
    request["Accept-Encoding"] = "gzip" # sent as is: Net::HTTP then leaves the body alone
    response = Net::HTTP.start(uri.host, uri.port) { |http| http.request(request) }
    { "route" => route, "status" => response.code.to_i,
      "body" => Base64.strict_encode64(response.body || "") }
  end
end

expected = {}
CASSETTES.each do |name, options|
  VCR.use_cassette(name, record: :all, **options) { fetch_all(origin) }
  served = VCR.use_cassette(name, record: :none, **options) { fetch_all(origin) }
  file = Dir.children(out).find { |f| File.basename(f, ".*") == name }
  expected[file] = served
end
File.write(File.join(out, "expected.json"), JSON.pretty_generate(expected) + "\n")
