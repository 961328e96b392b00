package io.erosengine.server.persona;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The text chunks of a PNG file that carry Character Cards, read and written without decoding the
 * image. Reading walks the chunks from the signature to {@code IEND}, checking every length and CRC,
 * and returns the first {@code tEXt}, {@code zTXt} or {@code iTXt} value per wanted keyword
 * (keywords compared case-insensitively). Compressed text is inflated up to
 * {@link #MAX_TEXT_BYTES} only, so a zip bomb costs nothing. Stateless.
 */
final class PngText {
    /** The eight bytes every PNG starts with. */
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** The longest text chunk value read (after inflating), in bytes. */
    static final int MAX_TEXT_BYTES = 1024 * 1024;
    /** The most chunks a file may have. */
    static final int MAX_CHUNKS = 4096;

    private PngText() {}

    /** Whether {@code bytes} start with the PNG signature. */
    static boolean isPng(byte[] bytes) {
        return bytes.length >= SIGNATURE.length && Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    /**
     * The text of the first text chunk for each of {@code keywords} (lower case), keyed by keyword;
     * keywords not present are absent.
     *
     * @throws CardException.Malformed when the file is not a whole, valid PNG chunk stream
     * @throws CardException.TooLarge when a wanted text chunk is over {@link #MAX_TEXT_BYTES}
     */
    static Map<String, String> texts(byte[] png, String... keywords) {
        if (!isPng(png)) throw new CardException.Malformed("not a PNG file (bad signature)");
        Map<String, String> found = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(png);
        in.position(SIGNATURE.length);
        for (int n = 0; ; n++) {
            if (n >= MAX_CHUNKS) throw new CardException.Malformed("the PNG has more than " + MAX_CHUNKS + " chunks");
            if (in.remaining() < 12) throw new CardException.Malformed("the PNG is truncated (no IEND chunk)");
            long length = Integer.toUnsignedLong(in.getInt());
            int typeAt = in.position();
            if (length > in.remaining() - 8) throw new CardException.Malformed("the PNG is truncated (a chunk is longer than the file)");
            byte[] typeBytes = new byte[4];
            in.get(typeBytes);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            byte[] data = new byte[(int) length];
            in.get(data);
            CRC32 crc = new CRC32();
            crc.update(png, typeAt, 4 + (int) length);
            if ((int) crc.getValue() != in.getInt()) throw new CardException.Malformed("the PNG chunk " + printable(type) + " has a bad CRC");
            if (type.equals("IEND")) return found;
            if (type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt")) {
                int nul = indexOf(data, 0, (byte) 0);
                if (nul < 1 || nul > 79) continue; // not a valid keyword: not ours
                String keyword = new String(data, 0, nul, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (found.containsKey(keyword) || !Arrays.asList(keywords).contains(keyword)) continue;
                found.put(keyword, text(type, keyword, data, nul + 1));
            }
        }
    }

    /**
     * A 1x1 transparent PNG carrying {@code texts} as {@code tEXt} chunks (values must be Latin-1,
     * such as base64).
     */
    static byte[] placeholder(Map<String, String> texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        // width 1, height 1, bit depth 8, colour type 6 (RGBA), compression, filter, interlace 0
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(1).putInt(1).put((byte) 8).put((byte) 6).put(new byte[3]).array());
        texts.forEach((k, v) -> {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.writeBytes(k.getBytes(StandardCharsets.ISO_8859_1));
            t.write(0);
            t.writeBytes(v.getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, "tEXt", t.toByteArray());
        });
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[5]); // filter byte 0, then one RGBA pixel 0,0,0,0
        deflater.finish();
        byte[] buf = new byte[64];
        int len = deflater.deflate(buf);
        deflater.end();
        chunk(out, "IDAT", Arrays.copyOf(buf, len));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static String text(String type, String keyword, byte[] data, int at) {
        switch (type) {
            case "tEXt":
                return latin1(keyword, data, at, data.length);
            case "zTXt":
                if (at >= data.length || data[at] != 0) throw new CardException.Malformed("the " + keyword + " zTXt chunk uses an unknown compression");
                return new String(inflate(keyword, data, at + 1), StandardCharsets.ISO_8859_1);
            default: { // iTXt: compression flag, method, language tag NUL, translated keyword NUL, text (UTF-8)
                if (at + 2 > data.length) throw new CardException.Malformed("the " + keyword + " iTXt chunk is truncated");
                boolean compressed = data[at] == 1;
                if (compressed && data[at + 1] != 0) throw new CardException.Malformed("the " + keyword + " iTXt chunk uses an unknown compression");
                int lang = indexOf(data, at + 2, (byte) 0);
                int translated = lang < 0 ? -1 : indexOf(data, lang + 1, (byte) 0);
                if (translated < 0) throw new CardException.Malformed("the " + keyword + " iTXt chunk is truncated");
                byte[] text = compressed ? inflate(keyword, data, translated + 1) : Arrays.copyOfRange(data, translated + 1, data.length);
                // the value is base64, so ASCII: UTF-8 and Latin-1 agree on everything valid
                return latin1(keyword, text, 0, text.length);
            }
        }
    }

    private static String latin1(String keyword, byte[] data, int from, int to) {
        if (to - from > MAX_TEXT_BYTES) throw tooLarge(keyword);
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] inflate(String keyword, byte[] data, int from) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, from, data.length - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CardException.Malformed("the " + keyword + " chunk's compressed text is truncated");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_TEXT_BYTES) throw tooLarge(keyword);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new CardException.Malformed("the " + keyword + " chunk's compressed text is corrupt");
        } finally {
            inflater.end();
        }
    }

    private static CardException tooLarge(String keyword) {
        return new CardException.TooLarge("the " + keyword + " text chunk is over " + MAX_TEXT_BYTES + " bytes");
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static int indexOf(byte[] data, int from, byte b) {
        for (int i = from; i < data.length; i++) if (data[i] == b) return i;
        return -1;
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'z') ? type : "(unnamed)";
    }
}
