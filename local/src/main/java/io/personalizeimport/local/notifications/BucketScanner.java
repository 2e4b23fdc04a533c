package io.personalizeimport.local.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Lists the objects of a bucket folder as S3Proxy's filesystem store lays them out, leaving out its internal files.
 */
final class BucketScanner {

    // S3Proxy's FilesystemNio2BlobStore (4.1.0) keeps multipart parts under ".mpus-<upload>-..." and its own
    // bookkeeping under ".s3proxy-*" (mpu stubs, versions, keys ending in '/'); none of them is an object.
    private static final List<String> INTERNAL_PREFIXES = List.of(".mpus-", ".s3proxy-");
    // A PutObject is written to "<key>-<random UUID>" beside the key, then moved onto it.
    private static final Pattern UPLOAD_TEMP_FILE =
            Pattern.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    // S3Proxy keeps an object's MD5 (16 bytes) or multipart ETag (ASCII) in this user attribute.
    private static final String CONTENT_MD5_XATTR = "user.content-md5";
    private static final int MD5_LENGTH = 16;

    private final Path bucketFolder;
    private final List<NotificationFilter> filters;

    BucketScanner(Path bucketFolder, List<NotificationFilter> filters) {
        this.bucketFolder = bucketFolder;
        this.filters = List.copyOf(filters);
    }

    /** What identifies one write of a file: a rewrite changes the time, the size or (for a move onto it) the inode. */
    record Fingerprint(long size, long modifiedMicros, String fileKey) {

        static Fingerprint of(BasicFileAttributes attributes) {
            Object fileKey = attributes.fileKey();
            return new Fingerprint(attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.MICROSECONDS),
                    fileKey == null ? "" : fileKey.toString());
        }
    }

    /** A file that is an object under a notification filter. */
    record Observed(String key, Path file, Fingerprint fingerprint, NotificationFilter filter) {
    }

    /** Every object under a filter, by key; files that vanish while listing are left out. */
    Map<String, Observed> scan() {
        Map<String, Observed> found = new LinkedHashMap<>();
        if (!Files.isDirectory(bucketFolder)) {
            return found;
        }
        try {
            Files.walkFileTree(bucketFolder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(bucketFolder) && isInternal(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (!attrs.isRegularFile() || isInternal(name) || UPLOAD_TEMP_FILE.matcher(name).matches()) {
                        return FileVisitResult.CONTINUE;
                    }
                    String key = keyOf(file);
                    filterFor(key).ifPresent(filter ->
                            found.put(key, new Observed(key, file, Fingerprint.of(attrs), filter)));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    // A temporary file S3Proxy moved or deleted between listing its folder and reading it.
                    if (failure instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw failure;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the bucket folder " + bucketFolder, e);
        }
        return found;
    }

    /** The file's current fingerprint, empty if it is gone. */
    Optional<Fingerprint> fingerprint(Path file) {
        try {
            return Optional.of(Fingerprint.of(Files.readAttributes(file, BasicFileAttributes.class)));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attributes of " + file, e);
        }
    }

    /**
     * The ETag S3 gives the object: the MD5 of its bytes; or the multipart ETag S3Proxy stored when the object came
     * from a multipart upload. A single-part MD5 attribute that disagrees with the bytes is stale (the file was
     * rewritten in place after an upload) and loses to the bytes.
     */
    String eTag(Path file) {
        String md5 = md5Hex(file);
        return multipartETag(file).orElse(md5);
    }

    String keyOf(Path file) {
        Path relative = bucketFolder.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path part : relative) {
            if (!key.isEmpty()) {
                key.append('/');
            }
            key.append(part);
        }
        return key.toString();
    }

    private Optional<NotificationFilter> filterFor(String key) {
        return filters.stream().filter(filter -> filter.matches(key)).findFirst();
    }

    private static boolean isInternal(String name) {
        return INTERNAL_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static Optional<String> multipartETag(Path file) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            if (!view.list().contains(CONTENT_MD5_XATTR)) {
                return Optional.empty();
            }
            ByteBuffer value = ByteBuffer.allocate(view.size(CONTENT_MD5_XATTR));
            view.read(CONTENT_MD5_XATTR, value);
            if (value.capacity() == MD5_LENGTH) {
                return Optional.empty();
            }
            return Optional.of(new String(value.array(), StandardCharsets.US_ASCII).replace("\"", ""));
        } catch (UnsupportedOperationException noUserAttributes) {
            // A file system without user attributes: S3Proxy could not have stored a multipart ETag there either.
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attributes of " + file, e);
        }
    }

    private static String md5Hex(Path file) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide MD5", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                md5.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md5.digest());
    }
}
