package io.personalizeimport.local.dynamodb;

/** DynamoDB read and write request units, as on-demand billing counts them. */
public record RequestUnits(double read, double write) {

    /** The units spent since {@code before}. */
    public RequestUnits since(RequestUnits before) {
        return new RequestUnits(read - before.read, write - before.write);
    }
}
