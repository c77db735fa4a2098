package org.ditchley.registry.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.internal.ModelDraft;

/** The model form's fields as typed; numbers accept e.g. {@code 405e9}. */
public class ModelForm {

    private String name;
    private String version;
    private String modality = "language";
    private String parametersTotal;
    private String parametersActive;
    private String trainingTokens;
    private String reportedCompute;
    private String computeMethod;
    private String hardwareChip;
    private String hardwareQuantity;
    private String trainingHours;
    private String utilisation;
    private String precision;
    private boolean openWeights;
    private String publicationDate;

    static ModelForm of(ModelDraft d) {
        ModelForm f = new ModelForm();
        f.name = d.name();
        f.version = d.version();
        f.modality = d.modality();
        f.parametersTotal = Views.plain(d.parametersTotal());
        f.parametersActive = Views.plain(d.parametersActive());
        f.trainingTokens = Views.plain(d.trainingTokens());
        f.reportedCompute = Views.plain(d.reportedCompute());
        f.computeMethod = d.computeMethod();
        f.hardwareChip = d.hardwareChip();
        f.hardwareQuantity = Views.plain(d.hardwareQuantity());
        f.trainingHours = Views.plain(d.trainingHours());
        f.utilisation = d.utilisation() == null ? "" : String.valueOf(d.utilisation());
        f.precision = d.precision();
        f.openWeights = Boolean.TRUE.equals(d.openWeights());
        f.publicationDate = d.publicationDate() == null ? "" : d.publicationDate().toString();
        return f;
    }

    /** The draft these fields describe; a value that is not a number or a date names its field. */
    ModelDraft draft() {
        return new ModelDraft(name, version, Views.text(modality), Views.number("parametersTotal", parametersTotal),
                Views.number("parametersActive", parametersActive), Views.number("trainingTokens", trainingTokens),
                Views.number("reportedCompute", reportedCompute), Views.text(computeMethod), Views.text(hardwareChip),
                Views.number("hardwareQuantity", hardwareQuantity), Views.number("trainingHours", trainingHours),
                Views.number("utilisation", utilisation), Views.text(precision), openWeights, date(publicationDate));
    }

    private static LocalDate date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("publicationDate", "is not a date (YYYY-MM-DD)");
        }
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getModality() { return modality; }
    public void setModality(String modality) { this.modality = modality; }
    public String getParametersTotal() { return parametersTotal; }
    public void setParametersTotal(String v) { this.parametersTotal = v; }
    public String getParametersActive() { return parametersActive; }
    public void setParametersActive(String v) { this.parametersActive = v; }
    public String getTrainingTokens() { return trainingTokens; }
    public void setTrainingTokens(String v) { this.trainingTokens = v; }
    public String getReportedCompute() { return reportedCompute; }
    public void setReportedCompute(String v) { this.reportedCompute = v; }
    public String getComputeMethod() { return computeMethod; }
    public void setComputeMethod(String v) { this.computeMethod = v; }
    public String getHardwareChip() { return hardwareChip; }
    public void setHardwareChip(String v) { this.hardwareChip = v; }
    public String getHardwareQuantity() { return hardwareQuantity; }
    public void setHardwareQuantity(String v) { this.hardwareQuantity = v; }
    public String getTrainingHours() { return trainingHours; }
    public void setTrainingHours(String v) { this.trainingHours = v; }
    public String getUtilisation() { return utilisation; }
    public void setUtilisation(String v) { this.utilisation = v; }
    public String getPrecision() { return precision; }
    public void setPrecision(String v) { this.precision = v; }
    public boolean isOpenWeights() { return openWeights; }
    public void setOpenWeights(boolean v) { this.openWeights = v; }
    public String getPublicationDate() { return publicationDate; }
    public void setPublicationDate(String v) { this.publicationDate = v; }
}
