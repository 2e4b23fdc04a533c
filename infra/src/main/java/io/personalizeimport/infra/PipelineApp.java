package io.personalizeimport.infra;

import software.amazon.awscdk.App;

/** The CDK app's entry point: {@code npx cdk synth} and {@code npx cdk deploy} run it through {@code cdk.json}. */
public final class PipelineApp {

    private PipelineApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        PipelineStack.create(app);
        app.synth();
    }
}
