package io.erosengine.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The engine's version, from a resource filled in by the build. */
final class Version {
    private Version() {}

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
