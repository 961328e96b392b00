/**
 * Not API: the durable post-process after a turn: what is enqueued and each job type's idempotent
 * handler ({@link io.erosengine.runtime.internal.jobs.PostProcess}), and the worker pool that claims
 * and runs them ({@link io.erosengine.runtime.internal.jobs.JobWorkers}).
 */
package io.erosengine.runtime.internal.jobs;
