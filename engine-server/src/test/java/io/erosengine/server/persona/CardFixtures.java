package io.erosengine.server.persona;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Card fixtures: the JSON files under test resources {@code cards/} and PNGs built chunk by chunk. */
public final class CardFixtures {
    private CardFixtures() {}

    /** A fixture file from {@code src/test/resources/cards/}. */
    public static byte[] resource(String name) {
        try (InputStream in = CardFixtures.class.getResourceAsStream("/cards/" + name)) {
            if (in == null) throw new IllegalStateException("missing fixture " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 of {@code bytes}. */
    public static String b64(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }

    /** A PNG of the signature, a 1x1 IHDR, the given chunks, an IDAT and IEND. */
    public static byte[] png(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PngText.SIGNATURE);
        out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(1).putInt(1).put((byte) 8).put((byte) 6).put(new byte[3]).array()));
        for (byte[] c : chunks) out.writeBytes(c);
        out.writeBytes(chunk("IDAT", deflate(new byte[5])));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** One chunk with a correct length and CRC. */
    public static byte[] chunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue()).array();
    }

    /** A tEXt chunk. */
    public static byte[] text(String keyword, String value) {
        return chunk("tEXt", concat(latin1(keyword), new byte[] {0}, latin1(value)));
    }

    /** A zTXt chunk (zlib-compressed value). */
    public static byte[] ztext(String keyword, byte[] value) {
        return chunk("zTXt", concat(latin1(keyword), new byte[] {0, 0}, deflate(value)));
    }

    /** An iTXt chunk, compressed or not, with a language tag and a translated keyword. */
    public static byte[] itext(String keyword, String value, boolean compressed) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        return chunk("iTXt", concat(latin1(keyword), new byte[] {0, (byte) (compressed ? 1 : 0), 0}, latin1("en"), new byte[] {0},
                "Charakter".getBytes(StandardCharsets.UTF_8), new byte[] {0}, compressed ? deflate(v) : v));
    }

    /** zlib of {@code data}. */
    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    /** The bytes of {@code parts} one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] latin1(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
