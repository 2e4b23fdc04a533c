package io.personalizeimport.infra;

import static io.personalizeimport.infra.Cfn.allow;
import static io.personalizeimport.infra.Cfn.arnOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;

/** The Ledger construct on a bare stack: the table and the item grants of the functions. */
class LedgerTest {

    @Test
    void givenAKey_shouldEncryptTheTableWithItAndGrantItemActionsAndTheKeysUse() {
        // GIVEN a customer managed key and a function's role
        Stack stack = new Stack(new App(), "Test");
        Key key = Key.Builder.create(stack, "Key").build();
        Role role = Role.Builder.create(stack, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();

        // WHEN the ledger is made with that key and the role granted its items
        Ledger ledger = new Ledger(stack, "Ledger", new Ledger.Props(Optional.of(key), RemovalPolicy.DESTROY));
        ledger.grantItems(role);
        Template template = Template.fromStack(stack);

        // THEN one table under the key, deleted with the stack, and the item and key actions only
        String table = stack.getLogicalId((CfnElement) ledger.table().getNode().getDefaultChild());
        Map<String, Object> keyArn = arnOf(stack.getLogicalId((CfnElement) key.getNode().getDefaultChild()));
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
        template.hasResource("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "DeletionPolicy", "Delete",
                "Properties", Match.objectLike(Map.of(
                        "BillingMode", "PAY_PER_REQUEST",
                        "SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS", "KMSMasterKeyId", keyArn))))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", List.of(
                        allow(Ledger.ACTIONS, arnOf(table)), allow(Ledger.KEY_ACTIONS, keyArn)))))));
    }

    @Test
    void noKeyProperty_shouldBeRefusedNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new Ledger.Props(null, RemovalPolicy.RETAIN));
        assertEquals("Ledger.Props.key is missing: expected the data bucket's key, or Optional.empty()",
                refused.getMessage());
    }
}
