package org.ditchley.registry.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.internal.EpochImporter;
import org.ditchley.registry.internal.ReviewQueue;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Regulators' pages: the queue of new registrations to review and the import of Epoch AI's dataset. */
@Controller
class RegulatorPages {

    static final int QUEUE_LIMIT = 200;

    private final ReviewQueue queue;
    private final EpochImporter importer;

    RegulatorPages(ReviewQueue queue, EpochImporter importer) {
        this.queue = queue;
        this.importer = importer;
    }

    /** Regulators: registrations not yet reviewed, oldest first. */
    @GetMapping("/regulator/queue")
    @PreAuthorize("hasRole('REGULATOR')")
    String queue(Model model) {
        model.addAttribute("queue", queue.pending(QUEUE_LIMIT));
        return "registry/queue";
    }

    /** Regulators: marks one registration reviewed. */
    @PostMapping("/regulator/queue/{kind}/{id}")
    @PreAuthorize("hasRole('REGULATOR')")
    String reviewed(@PathVariable ReviewQueue.Kind kind, @PathVariable UUID id, RedirectAttributes redirect) {
        queue.markReviewed(Actors.require(), kind, id);
        redirect.addFlashAttribute("message", "Marked reviewed.");
        return "redirect:/regulator/queue";
    }

    /** Regulators: the form to upload Epoch AI's notable-models CSV. */
    @GetMapping("/regulator/import")
    @PreAuthorize("hasRole('REGULATOR')")
    String importForm() {
        return "registry/import";
    }

    /** Regulators: imports the uploaded file and shows the report, with every skipped row and why. */
    @PostMapping("/regulator/import")
    @PreAuthorize("hasRole('REGULATOR')")
    String importFile(@RequestParam(required = false) MultipartFile file, Model model, HttpServletResponse response)
            throws IOException {
        try {
            if (file == null || file.isEmpty()) {
                throw new InvalidInputException("file", "choose a CSV file to upload");
            }
            try (InputStream in = file.getInputStream()) {
                EpochImporter.Report report = importer.importCsv(Actors.require(), in);
                model.addAttribute("report", report);
                model.addAttribute("skipped", report.results().stream()
                        .filter(r -> r.outcome() == EpochImporter.Outcome.SKIPPED).toList());
            }
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.getMessage());
        }
        return "registry/import";
    }
}
