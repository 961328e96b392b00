/**
 * Helpers shared by the Postgres and in-memory stores. Public only for that reason; not API and
 * may change without notice.
 */
package io.erosengine.store.internal;
