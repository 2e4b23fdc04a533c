package io.personalizeimport.infra;

import io.personalizeimport.lambdas.ledger.LedgerTable;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The import ledger (docs/lanes-and-ledger.md): one partition per dataset with its lane and its files. Encrypted like
 * the bucket: with its customer managed key when there is one, else with the AWS managed key.
 */
final class Ledger extends Construct {

    /**
     * The ledger's item actions: reads of items or of one dataset's partition, and conditional writes, some of them in
     * transactions (TransactWriteItems is authorized by the Put, Update and Delete actions of its items). No Scan.
     */
    static final List<String> ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query");
    /** What the publish function does with the ledger: it drains the outbox items and touches nothing else. */
    static final List<String> OUTBOX_ACTIONS = List.of("dynamodb:Query", "dynamodb:UpdateItem",
            "dynamodb:DeleteItem");
    /** What a function needs from a customer managed key to read and write the ledger table encrypted with it. */
    static final List<String> KEY_ACTIONS = List.of(
            "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey");

    /** @param key the customer managed key of the table, or Optional.empty() for the AWS managed key */
    record Props(Optional<IKey> key, RemovalPolicy removalPolicy) {

        Props {
            PropsCheck.present(key, "Ledger.Props.key", "the data bucket's key, or Optional.empty()");
            PropsCheck.present(removalPolicy, "Ledger.Props.removalPolicy",
                    "RETAIN (the ledger outlives the stack) or DESTROY");
        }
    }

    private final Optional<IKey> key;
    private final Table table;

    Ledger(Construct scope, String id, Props props) {
        super(scope, id);
        this.key = props.key();
        Table.Builder builder = Table.Builder.create(this, "LedgerTable")
                .partitionKey(Attribute.builder().name(LedgerTable.PARTITION_KEY).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(LedgerTable.SORT_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute(LedgerTable.TTL_ATTRIBUTE)
                .removalPolicy(props.removalPolicy());
        if (key.isEmpty()) {
            builder.encryption(TableEncryption.AWS_MANAGED);
        } else {
            builder.encryption(TableEncryption.CUSTOMER_MANAGED).encryptionKey(key.get());
        }
        this.table = builder.build();
    }

    Table table() {
        return table;
    }

    /** The outbox's reads and writes: a Query of a dataset's outbox, the claim (UpdateItem), the removal (DeleteItem). */
    void grantOutbox(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(OUTBOX_ACTIONS)
                .resources(List.of(table.getTableArn()))
                .build());
        key.ifPresent(k -> k.grant(role, KEY_ACTIONS.toArray(String[]::new)));
    }

    /** The ledger's item reads and writes, nothing else: no scans, no table administration. */
    void grantItems(Role role) {
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(ACTIONS)
                .resources(List.of(table.getTableArn()))
                .build());
        // DynamoDB unwraps the table key with the caller's own KMS permissions (AWS KMS Developer Guide, "How Amazon
        // DynamoDB uses AWS KMS"). These are the key actions of CDK's grantReadWriteData without ReEncrypt*, which only
        // a change of key needs, and with GenerateDataKey instead of GenerateDataKey*.
        key.ifPresent(k -> k.grant(role, KEY_ACTIONS.toArray(String[]::new)));
    }
}
