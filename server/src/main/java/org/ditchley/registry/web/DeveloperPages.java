package org.ditchley.registry.web;

import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Actors;
import org.ditchley.platform.DitchleyException;
import org.ditchley.registry.internal.ChipCatalog;
import org.ditchley.registry.internal.ModelFilter;
import org.ditchley.registry.internal.ModelService;
import org.ditchley.registry.internal.ModelViews;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Developers' pages: their organisation's models, and the forms to register and edit a model. */
@Controller
class DeveloperPages {

    private final ModelService models;
    private final ModelViews views;
    private final ChipCatalog chips;

    DeveloperPages(ModelService models, ModelViews views, ChipCatalog chips) {
        this.models = models;
        this.views = views;
        this.chips = chips;
    }

    /** Developers: the models their organisation registered. */
    @GetMapping("/my/models")
    @PreAuthorize("hasRole('DEVELOPER')")
    String mine(@RequestParam(defaultValue = "0") int page, Model model) {
        Actor actor = Actors.require();
        var result = views.page(new ModelFilter(actor.organisationId(), null, null, null, page, RegistryPages.PAGE_SIZE));
        model.addAttribute("rows", result.items().stream().map(Views.Row::of).toList());
        model.addAttribute("page", result);
        return "registry/mine";
    }

    /** Developers: the form to register a model for their organisation. */
    @GetMapping("/my/models/new")
    @PreAuthorize("hasRole('DEVELOPER')")
    String newModel(Model model) {
        return form(model, new ModelForm(), null, null);
    }

    /** Developers: registers the model and shows its page; a refused value re-shows the form with the reason. */
    @PostMapping("/my/models/new")
    @PreAuthorize("hasRole('DEVELOPER')")
    String register(@ModelAttribute("form") ModelForm form, Model model, RedirectAttributes redirect,
                    HttpServletResponse response) {
        try {
            var registered = models.register(Actors.require(), null, form.draft(), null);
            redirect.addFlashAttribute("message", "Registered " + registered.displayName() + ".");
            return "redirect:/models/" + registered.id();
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            return form(model, form, null, e.getMessage());
        }
    }

    /** The owning developer or a regulator: the form to change a model's facts. */
    @GetMapping("/my/models/{id}/edit")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    String edit(@PathVariable UUID id, Model model) {
        var existing = models.get(id);
        return form(model, ModelForm.of(existing.facts()), id, null);
    }

    /** The owning developer or a regulator: saves the changed facts. */
    @PostMapping("/my/models/{id}/edit")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    String update(@PathVariable UUID id, @ModelAttribute("form") ModelForm form, Model model,
                  RedirectAttributes redirect, HttpServletResponse response) {
        try {
            models.update(Actors.require(), id, form.draft());
            redirect.addFlashAttribute("message", "Saved.");
            return "redirect:/models/" + id;
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            return form(model, form, id, e.getMessage());
        }
    }

    private String form(Model model, ModelForm form, UUID id, String error) {
        model.addAttribute("form", form);
        model.addAttribute("modelId", id);
        model.addAttribute("error", error);
        model.addAttribute("chips", chips.all());
        return "registry/model-form";
    }
}
