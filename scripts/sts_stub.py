"""A local HTTPS STS for the benchmark: answers every POST with a canned GetSessionToken (or,
for Action=AssumeRole, AssumeRole) response whose session expires DurationSeconds from now.

Usage: python3 scripts/sts_stub.py CERT KEY PORT_FILE
Binds 127.0.0.1 on a free port, writes the port to PORT_FILE once it listens, serves until
killed. CERT and KEY are the server's certificate (chain) and key in PEM, made by
scripts/bench.sh from a CA generated at run time. The keys in the answer are placeholders.
"""
import datetime
import http.server
import ssl
import sys
import urllib.parse

ANSWER = """<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzEXAMPLETOKEN/ONLY+FOR/THE/BENCHMARK</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId></ResponseMetadata>
</{action}Response>
"""


class Sts(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body are two writes; with Nagle's algorithm the body would wait for
    # the client's delayed ACK of the headers (40 ms), a stall of this stub, not of the client.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        action = form.get("Action", ["GetSessionToken"])[0]
        seconds = int(form.get("DurationSeconds", ["43200"])[0])
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
        body = ANSWER.format(action=action, expiration=expiration.strftime("%Y-%m-%dT%H:%M:%SZ")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    cert, key, port_file = sys.argv[1:]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sts)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
