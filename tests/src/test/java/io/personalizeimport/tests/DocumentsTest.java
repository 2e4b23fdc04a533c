package io.personalizeimport.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The repository's Markdown documents read as written: no merge left its conflict markers in them. */
class DocumentsTest {

    private static final Pattern CONFLICT_MARKER = Pattern.compile("^(<{7} |={7}$|>{7} )");

    /** Folders that hold no document of the project's: tools, builds, run data. */
    private static final Set<String> SKIPPED = Set.of(".git", "node_modules", "target", ".local-data", "cdk.out");

    @Test
    void everyMarkdownDocument_shouldHoldNoMergeConflictMarker() throws IOException {
        Path root = SharedStack.repositoryRoot();
        List<String> markers = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (file.toString().endsWith(".md")) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (CONFLICT_MARKER.matcher(lines.get(i)).find()) {
                            markers.add(root.relativize(file) + ":" + (i + 1) + ": " + lines.get(i));
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        assertEquals(List.of(), markers);
    }
}
