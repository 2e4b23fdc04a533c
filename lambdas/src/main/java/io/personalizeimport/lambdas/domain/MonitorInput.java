package io.personalizeimport.lambdas.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The input of an import monitor execution as the trigger and the create task write it (see README, "State machine
 * contract"). It is a function of the object and the configuration only, never of the time or of Personalize's
 * answer, so a duplicate delivery starts the same execution again and Step Functions deduplicates it by name.
 *
 * @param rejection set when the preflight check refused the file: the execution fails at once with the reason
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitorInput(
        String datasetImportJobArn, ImportRequest createRequest, ImportSource source, Rejection rejection) {

    /** Why a file was refused before any import job was spent on it. */
    public record Rejection(String reason) {
    }
}
