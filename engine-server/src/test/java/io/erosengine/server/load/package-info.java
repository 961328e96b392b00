/**
 * The server load benchmark: a program (not a test) that drives the real server jar, running as its
 * own process on a fresh Postgres database with a loopback fake chat model, with many concurrent
 * users over HTTP, then checks in the database that nothing acknowledged was lost. Run it through
 * {@code scripts/bench-server-load.sh}; the figures are in BENCHMARKS.md, "Server load".
 */
package io.erosengine.server.load;
