/**
 * Time grounding, pure {@code java.time}: a rule-based reader of English time expressions
 * ({@link io.erosengine.core.time.TimeExpressions}) that turns a query's "last week" or "in May" into a
 * half-open {@link io.erosengine.core.time.TimeRange} in the user's zone and rewrites a message's relative
 * dates ("yesterday", "next Friday") into absolute ones, and the labels the prompt shows next to a memory
 * ({@link io.erosengine.core.time.TimeLabels}: "on 8 May 2023", "3 weeks ago").
 */
package io.erosengine.core.time;
