package dev.vouch.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of STYLE.md, written down so it stays true: no JavaFX below the UI, a protocol core
 * that knows nothing of storage, network or screens, and crypto primitives reached only through
 * Vouch's wrappers.
 */
class LayeringTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vouch");
    }

    @Test
    void javaFxStaysInTheUserInterface() {
        noClasses().that().resideOutsideOfPackages("dev.vouch.ui..", "dev.vouch.app..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "com.sun.javafx..")
                .because("the relay, the store and the protocol must run headless")
                .check(main);
    }

    @Test
    void protocolIsIndependentOfStorageNetworkAndScreens() {
        noClasses().that().resideInAPackage("dev.vouch.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.vouch.app..", "dev.vouch.cli..", "dev.vouch.ui..", "dev.vouch.service..",
                        "dev.vouch.store..", "dev.vouch.relay..", "dev.vouch.transparency..", "dev.vouch.archive..",
                        "dev.vouch.qr..", "java.sql..", "java.net..", "java.nio.channels..", "javax.net..",
                        "picocli..", "com.fasterxml.jackson..")
                .because("the protocol core depends only on its store interfaces and the crypto wrappers")
                .check(main);
    }

    @Test
    void cryptoProvidersAreReachedOnlyThroughTheWrappers() {
        noClasses().that().resideOutsideOfPackage("dev.vouch.protocol.crypto..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle..", "javax.crypto..")
                .because("every primitive goes through one audited wrapper, tested against Wycheproof")
                .check(main);
    }

    @Test
    void lowerLayersDoNotReachUp() {
        noClasses().that().resideInAnyPackage("dev.vouch.protocol..", "dev.vouch.qr..", "dev.vouch.transparency..",
                        "dev.vouch.store..", "dev.vouch.relay..", "dev.vouch.archive..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.vouch.ui..", "dev.vouch.app..", "dev.vouch.cli..")
                .because("dependencies point from the faces of the program down to its core, never back")
                .check(main);
    }

    @Test
    void transparencySeesOnlyTheKeysTheirEncodingAndTheCryptoWrappers() {
        classes().that().resideInAPackage("dev.vouch.transparency..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.vouch.transparency..",
                        // the protocol's exception types, key types, byte encoding and crypto wrappers
                        "dev.vouch.protocol", "dev.vouch.protocol.keys..", "dev.vouch.protocol.encoding..",
                        "dev.vouch.protocol.crypto..",
                        "java..", "")
                .because("the log's core is pure: the relay, the client and the monitors build on it, and it knows"
                        + " none of them, nor any store, network or screen")
                .check(main);
    }

    @Test
    void relayServerSeesOnlyTheWireApiTheKeysTheLogAndItsStorage() {
        classes().that().resideInAPackage("dev.vouch.relay.server..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "dev.vouch.relay.server..", "dev.vouch.relay.api..",
                        // the key transparency log's core: the tree, proofs, entries and heads it serves
                        "dev.vouch.transparency..",
                        // the protocol's key types, byte encoding, crypto wrappers and their exception types
                        "dev.vouch.protocol", "dev.vouch.protocol.keys..", "dev.vouch.protocol.encoding..",
                        "dev.vouch.protocol.crypto..",
                        // the shared SQLite plumbing, and the store's exception types it throws
                        "dev.vouch.store.sqlite..", "dev.vouch.store",
                        "java..", "javax.net..", "javax.security.auth.x500..", "org.eclipse.jetty..",
                        "com.fasterxml.jackson..", "")
                .because("the relay runs headless on a server: it knows the wire, the keys it checks, the log it keeps"
                        + " and its storage, never the client, the services, the UI or the command line")
                .check(main);
    }
}
