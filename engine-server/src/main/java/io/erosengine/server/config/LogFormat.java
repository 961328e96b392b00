package io.erosengine.server.config;

/** How log lines are written: readable text, or one JSON object per line. */
public enum LogFormat { TEXT, JSON }
