#!/usr/bin/python3
"""A Lambda custom runtime in Python doing lamtool's shot map the original's way
(tests/bench/shotmap_ref.py: numpy, scipy gaussian_kde, matplotlib), for
tests/bench/lambda_bench.sh to set beside `lamtool lambda`. The imports happen at init,
as in a Python Lambda; each event {"game_file": PATH, "to": DIR} draws DIR/shotmap.png and
answers {"outputs": [...]}. Runtime API from AWS_LAMBDA_RUNTIME_API, standard library
HTTP only (what a Python custom runtime has without extra packages).
"""
import importlib.util
import json
import os
import sys
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("shotmap_ref", os.path.join(here, "shotmap_ref.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)  # numpy, scipy, matplotlib: the cold start

api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
    out = os.path.join(event["to"], "shotmap.png")
    sys.argv = ["shotmap_ref.py", event["game_file"], out]
    ref.main()
    body = json.dumps({"outputs": [{"uri": out, "bytes": os.path.getsize(out)}]}).encode()
    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=body)).read()
