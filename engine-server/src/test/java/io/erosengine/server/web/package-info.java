/**
 * End-to-end tests of the web page in headless Chromium against the zero-configuration server
 * (JUnit tag {@code browser}), and the helpers that drive the browser.
 */
package io.erosengine.server.web;
