#!/usr/bin/env python3
"""An MLLP sender this project did not write: python-hl7's MLLPClient
(`pip install hl7`), for tests/feed_transport.rs.

Usage: mllp_client.py HOST PORT < steps.json
steps.json: a list of steps, all sent in order over one connection:
  {"message": "MSH|...\\rPID|..."}   sent with MLLPClient.send_message
  {"oversize": N}                    a frame of N bytes, sent raw
Prints one JSON line: a list with, per step, {"msa1", "msa2"} read with
hl7.parse from the ACK, or {"closed": true} when the listener closed the
connection without answering.
"""
import json
import socket
import sys

import hl7
from hl7.client import CR, EB, SB, MLLPClient


def rest_of_frame(sock, data):
    """The client's send() returns what one recv() read: read on to the
    frame's end. None when the listener closed without a whole frame."""
    while not data.endswith(EB + CR):
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    return data


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    steps = json.load(sys.stdin)
    out = []
    with MLLPClient(host, port) as client:
        client.socket.settimeout(20)
        for step in steps:
            try:
                if "message" in step:
                    first = client.send_message(step["message"].encode("utf-8"))
                else:
                    # Raw, past the listener's limit: sendall, as one
                    # send() may take only part of it.
                    client.socket.sendall(SB + b"x" * step["oversize"] + EB + CR)
                    first = client.socket.recv(65536)
                frame = rest_of_frame(client.socket, first) if first else None
            except (ConnectionError, socket.timeout):
                frame = None
            if frame is None:
                out.append({"closed": True})
                continue
            ack = hl7.parse(frame[len(SB):-len(EB + CR)].decode("utf-8"))
            msa = ack.segment("MSA")
            out.append({"msa1": str(msa[1]), "msa2": str(msa[2]) if len(msa) > 2 else ""})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
