package org.ditchley.registry.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.ditchley.platform.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Imports of public datasets into the register; regulators only. */
@RestController
@RequestMapping("/api/v1/imports")
class ImportApi {

    private final EpochImporter epoch;

    ImportApi(EpochImporter epoch) {
        this.epoch = epoch;
    }

    /** The body is Epoch AI's notable-models CSV ({@code Content-Type: text/csv}). */
    @PostMapping(value = "/epoch", consumes = "text/csv")
    @PreAuthorize("hasRole('REGULATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    EpochImporter.Report importEpoch(HttpServletRequest request) throws IOException {
        try (InputStream body = request.getInputStream()) {
            return epoch.importCsv(Actors.require(), body);
        }
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('REGULATOR')")
    EpochImporter.Report get(@PathVariable UUID id) {
        return epoch.find(id).orElseThrow(() -> new NotFoundException("import", id));
    }
}
