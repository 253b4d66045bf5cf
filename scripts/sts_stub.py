"""A local HTTPS STS and IAM for the benchmark: answers GetSessionToken and AssumeRole with a
canned session that expires DurationSeconds from now, GetCallerIdentity as IAM user `bench`,
and the access-key calls of `status --keys` and `rotate` (ListAccessKeys, GetAccessKeyLastUsed,
CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListMFADevices) on keys kept in memory.
It counts the TCP connections it accepts and the requests it answers.

Usage: python3 scripts/sts_stub.py CERT KEY PORT_FILE [KEY_ID]
Binds 127.0.0.1 on a free port, writes the port to PORT_FILE once it listens, and after every
request `CONNECTIONS REQUESTS` to PORT_FILE.counts; serves until killed. CERT and KEY are the
server's certificate (chain) and key in PEM, made by scripts/bench.sh from a CA generated at
run time; KEY_ID is the user's first access key (the source's). Nothing is checked: the keys
and the session in the answers are placeholders. HTTP/1.1, so a client may keep its connection.
"""
import datetime
import http.server
import itertools
import ssl
import sys
import threading
import urllib.parse

STS = "https://sts.amazonaws.com/doc/2011-06-15/"
IAM = "https://iam.amazonaws.com/doc/2010-05-08/"
SESSION = """<Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzEXAMPLETOKEN/ONLY+FOR/THE/BENCHMARK</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>"""

lock = threading.Lock()
counts = {"connections": 0, "requests": 0}
keys = {}  # access key id -> "Active" / "Inactive", in creation order
new_keys = (f"AKIABENCHNEWKEY{n:05d}" for n in itertools.count(1))
port_file = None


def answer(action, form):
    """The XML answer to `action`, and its namespace."""
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if action in ("GetSessionToken", "AssumeRole"):
        seconds = int(form.get("DurationSeconds", ["43200"])[0])
        return STS, SESSION.format(expiration=stamp(now + datetime.timedelta(seconds=seconds)))
    if action == "GetCallerIdentity":
        return STS, "<Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDABENCH</UserId><Account>123456789012</Account>"
    key = form.get("AccessKeyId", [""])[0]
    with lock:
        if action == "ListAccessKeys":
            members = "".join(
                f"<member><UserName>bench</UserName><AccessKeyId>{k}</AccessKeyId><Status>{s}</Status>"
                f"<CreateDate>{stamp(now - datetime.timedelta(days=10))}</CreateDate></member>"
                for k, s in keys.items())
            return IAM, f"<AccessKeyMetadata>{members}</AccessKeyMetadata><IsTruncated>false</IsTruncated>"
        if action == "CreateAccessKey":
            new = next(new_keys)
            keys[new] = "Active"
            return IAM, (f"<AccessKey><UserName>bench</UserName><AccessKeyId>{new}</AccessKeyId><Status>Active</Status>"
                         f"<SecretAccessKey>newSecret/EXAMPLE+key0123456789abcdefgh</SecretAccessKey>"
                         f"<CreateDate>{stamp(now)}</CreateDate></AccessKey>")
        if action == "UpdateAccessKey":
            keys[key] = form.get("Status", ["Inactive"])[0]
            return IAM, ""
        if action == "DeleteAccessKey":
            keys.pop(key, None)
            return IAM, ""
    if action == "GetAccessKeyLastUsed":
        return IAM, "<UserName>bench</UserName><AccessKeyLastUsed><Region>N/A</Region><ServiceName>N/A</ServiceName></AccessKeyLastUsed>"
    if action == "ListMFADevices":
        return IAM, ("<MFADevices><member><UserName>bench</UserName><SerialNumber>arn:aws:iam::123456789012:mfa/alice"
                     f"</SerialNumber><EnableDate>{stamp(now)}</EnableDate></member></MFADevices><IsTruncated>false</IsTruncated>")
    return STS, ""


class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body are two writes; with Nagle's algorithm the body would wait for
    # the client's delayed ACK of the headers (40 ms), a stall of this stub, not of the client.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        with lock:
            counts["connections"] += 1

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        action = form.get("Action", ["GetSessionToken"])[0]
        namespace, result = answer(action, form)
        body = (f'<{action}Response xmlns="{namespace}"><{action}Result>{result}</{action}Result>'
                f"<ResponseMetadata><RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId></ResponseMetadata>"
                f"</{action}Response>\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with lock:
            counts["requests"] += 1
            with open(port_file + ".counts", "w") as f:
                f.write(f"{counts['connections']} {counts['requests']}\n")

    def log_message(self, *args):
        pass


def main():
    global port_file
    cert, key, port_file = sys.argv[1:4]
    if len(sys.argv) > 4:
        keys[sys.argv[4]] = "Active"
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
