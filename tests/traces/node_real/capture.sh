#!/bin/bash
# capture.sh APP NAME PORT "CMD" METHOD URLPATH [BODY]
# Runs APP (a built repository under /tmp/nodesweep/repos/APP with node_modules installed),
# sends one request that makes a handler throw, and writes what the process printed to
# /tmp/nodesweep/traces/NAME.txt after a header line naming program, node and command.
app=$1; name=$2; port=$3; cmd=$4; method=$5; url=$6; body=$7
cd /tmp/nodesweep/repos/$app
out=/tmp/nodesweep/traces/$name.txt
PORT=$port bash -c "exec $cmd" > /tmp/nodesweep/traces/$name.log 2>&1 &
pid=$!
for i in $(seq 50); do curl -s -o /dev/null localhost:$port/ && break; sleep 0.1; done
if [ -n "$body" ]; then curl -s -m 3 -X $method -H 'content-type: application/json' -d "$body" localhost:$port$url > /dev/null
else curl -s -m 3 -X $method localhost:$port$url > /dev/null; fi
sleep 0.7
kill $pid 2>/dev/null; wait $pid 2>/dev/null
{ echo "# codemap node_real trace: program $app, $(node --version), command: (cd $app && PORT=$port $cmd) then curl -X $method http://localhost:$port$url${body:+ -d '$body'}"; cat /tmp/nodesweep/traces/$name.log; } > $out
