package io.personalizeimport.local.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link of README.md and docs/*.md leads to a file of the repository and, where it names one, a heading. */
class DocLinksTest {

    @Test
    void readmeAndDocs_shouldHaveNoBrokenRelativeLink() {
        // GIVEN the README and every page of docs/
        Path root = RepositoryRoot.find();
        List<Path> pages = pages(root);

        // WHEN every relative link is resolved
        List<String> broken = pages.stream().flatMap(page -> broken(root, page).stream()).toList();

        // THEN each leads somewhere
        assertTrue(pages.size() > 2, "expected README.md and the pages of docs/, found " + pages);
        assertEquals(List.of(), broken, "broken links (file:line: link: why)");
    }

    @Test
    void linkToAMissingFileOrHeading_shouldBeReportedWithItsLine(@TempDir Path dir) throws IOException {
        // GIVEN a page whose second link names no file and whose third names no heading of its target
        Files.writeString(dir.resolve("a.md"), "# A page\n\n[ok](b.md#the-b-page) [gone](c.md)\n"
                + "```\n[in code](nowhere.md)\n```\n[no heading](b.md#nothing) [self](#a-page)\n");
        Files.writeString(dir.resolve("b.md"), "# The `B` page\n");

        // WHEN its links are resolved
        List<String> broken = broken(dir, dir.resolve("a.md"));

        // THEN exactly the two bad ones are named, with their lines
        assertEquals(List.of("a.md:3: c.md: no such file", "a.md:7: b.md#nothing: b.md has no heading 'nothing'"),
                broken);
    }

    @Test
    void headings_shouldGetGitHubsAnchors() {
        // GIVEN headings with code, punctuation, a link and a repeat, as the docs write them
        MarkdownPage page = new MarkdownPage(Path.of("p.md"), List.of("# Measuring: `local/run bench`",
                "## Configuration (CDK context)", "## Sharing the region's five import jobs",
                "## [Links](x.md) too", "## Configuration (CDK context)"));

        // WHEN their anchors are computed
        List<String> anchors = List.copyOf(page.anchors());

        // THEN they are GitHub's
        assertEquals(List.of("measuring-localrun-bench", "configuration-cdk-context",
                "sharing-the-regions-five-import-jobs", "links-too", "configuration-cdk-context-1"), anchors);
    }

    static List<Path> pages(Path root) {
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            return Stream.concat(Stream.of(root.resolve("README.md")),
                    docs.filter(path -> path.toString().endsWith(".md")).sorted()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root.resolve("docs"), e);
        }
    }

    /** The links of {@code page} that lead nowhere, each as {@code file:line: link: why}. */
    static List<String> broken(Path root, Path page) {
        MarkdownPage markdown = MarkdownPage.read(page);
        List<String> broken = new ArrayList<>();
        for (MarkdownPage.Link link : markdown.links()) {
            String target = link.target();
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue; // a URL (https:, mailto:): not the repository's to check
            }
            int hash = target.indexOf('#');
            String file = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            String where = root.relativize(page) + ":" + link.line() + ": " + target + ": ";
            if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                broken.add(where + "no such file");
            } else if (anchor != null && !(resolved.toString().endsWith(".md")
                    && MarkdownPage.read(resolved).anchors().contains(anchor))) {
                broken.add(where + root.relativize(resolved) + " has no heading '" + anchor + "'");
            }
        }
        return broken;
    }
}
