#!/usr/bin/env bash
# deploy/template.yaml is valid YAML with the AWS SAM shape, and everything it names
# exists: each function's Handler is a handler of `lamtool lambda`, each environment
# variable is one the handler reads (LAMTOOL_<FLAG> for a flag of its command, or the
# originals' S3_BUCKET / OUTPUT_STREAM), each !Ref and ${...} names a parameter, a
# resource or a pseudo parameter, stream events report batch item failures, the schedule
# is one AWS accepts (lamtool schedule, which refuses the seed's), policies name no '*'
# action or resource, and every function fits in the 128 MB the template gives it.
source "$LAMTOOL_SOURCE_DIR/tests/cli/common.sh"
template=$LAMTOOL_SOURCE_DIR/deploy/template.yaml
run lambda --help
expect_rc 0
handlers=$(printf '%s\n' "$OUT" | sed -n 's/.*The job to run for each event: \([a-z, -]*\).*/\1/p' | tr -d ' ')
[ -n "$handlers" ] || fail "no handler list in lamtool lambda --help"
# Each handler's flags, from its own --help.
for h in ${handlers//,/ }; do
  run "$h" --help
  printf '%s\n' "$OUT" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u >"$WORK/flags-$h"
done
/usr/bin/python3 - "$template" "$handlers" "$WORK" <<'PY'
import json, os, re, sys
import yaml

template, handlers, work = sys.argv[1], sys.argv[2].split(","), sys.argv[3]

class Tagged:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value

def construct(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return Tagged(suffix, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(suffix, loader.construct_sequence(node, deep=True))
    return Tagged(suffix, loader.construct_mapping(node, deep=True))

yaml.SafeLoader.add_multi_constructor("!", construct)
doc = yaml.safe_load(open(template))
assert doc["AWSTemplateFormatVersion"] == "2010-09-09"
assert doc["Transform"] == "AWS::Serverless-2016-10-31", doc["Transform"]
glob = doc["Globals"]["Function"]
assert glob["Runtime"] == "provided.al2023" and glob["CodeUri"] == "lamtool.zip", glob
params = set(doc["Parameters"])
resources = doc["Resources"]
names = params | set(resources) | {r + "Url" for r in resources} | {
    "AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::StackName"}

def refs(x):
    if isinstance(x, Tagged):
        if x.tag == "Ref":
            yield x.value
        elif x.tag == "Sub":
            yield from re.findall(r"\$\{([^}!]+)\}", x.value if isinstance(x.value, str) else x.value[0])
        elif x.tag == "GetAtt":
            yield (x.value if isinstance(x.value, str) else x.value[0]).split(".")[0]
        yield from refs(x.value)
    elif isinstance(x, dict):
        for v in x.values():
            yield from refs(v)
    elif isinstance(x, list):
        for v in x:
            yield from refs(v)

for name in refs(doc):
    assert name in names, f"{name} is neither a parameter, a resource nor a pseudo parameter"
for p, spec in doc["Parameters"].items():
    assert any(p == n for n in refs(doc)), f"parameter {p} is never used"

seen = set()
for name, r in resources.items():
    assert r["Type"] == "AWS::Serverless::Function", (name, r["Type"])
    props = r["Properties"]
    h = props["Handler"]
    assert h in handlers, f"{name}: handler {h} is not one of {handlers}"
    seen.add(h)
    flags = set(open(os.path.join(work, f"flags-{h}")).read().split())
    for var in props.get("Environment", {}).get("Variables", {}):
        if var == "S3_BUCKET":
            assert h in ("shotmap", "plot-candles", "gif", "worker"), f"{name}: {h} does not read S3_BUCKET"
        elif var == "OUTPUT_STREAM":
            assert h == "predict", f"{name}: {h} does not read OUTPUT_STREAM"
        else:
            assert var.startswith("LAMTOOL_"), f"{name}: {var} is not read by lamtool"
            flag = "--" + var[len("LAMTOOL_"):].lower().replace("_", "-")
            assert flag in flags, f"{name}: {var} names {flag}, which lamtool {h} does not take"
    assert props.get("MemorySize", glob["MemorySize"]) <= 128, name
    for ev in props.get("Events", {}).values():
        if ev["Type"] in ("Kinesis", "DynamoDB"):
            assert ev["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"], name
        if ev["Type"] == "Schedule":
            open(os.path.join(work, "schedule"), "w").write(ev["Properties"]["Schedule"])
    for policy in props.get("Policies", []):
        for st in policy["Statement"]:
            actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            res = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
            assert all("*" not in a for a in actions), f"{name}: wildcard action {actions}"
            for x in res:
                text = x.value if isinstance(x, Tagged) else x
                assert text not in ("*", "arn:aws:s3:::*"), f"{name}: wildcard resource"
assert {"shotmap", "predict", "plot-candles", "alarm", "worker", "mediator"} <= seen, seen
print("template ok:", len(resources), "functions")
PY
run schedule next "$(cat "$WORK/schedule")" --count 1 --from 2026-12-04T00:00:00Z
expect_rc 0
expect_out "2026-12-04T07:00:00Z"
run schedule next 'cron(0 7 * * MON-FRI *)'
expect_rc 64
echo ok
