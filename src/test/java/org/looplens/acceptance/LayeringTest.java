package org.looplens.acceptance;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of DESIGN.md: the engine knows nothing of analyses, the app or JavaFX; analyses
 * know nothing of the app or JavaFX; within the app only the workbench uses JavaFX; no TornadoVM type enters the engine (a GPU backend lives in
 * its own module behind the kernel interface).
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.looplens");
    }

    @Test
    void engineDependsOnNeitherAnalysesNorAppNorJavaFx() {
        noClasses().that().resideInAPackage("org.looplens.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.looplens.analyses..", "org.looplens.app..",
                        "javafx..", "org.jfree..", "org.controlsfx..")
                .check(classes);
    }

    @Test
    void analysesDependOnNeitherAppNorJavaFx() {
        noClasses().that().resideInAPackage("org.looplens.analyses..")
                .should().dependOnClassesThat().resideInAnyPackage("org.looplens.app..", "javafx..",
                        "org.controlsfx..")
                .check(classes);
    }

    @Test
    void onlyTheWorkbenchTouchesJavaFx() {
        // Figures, the shared inspection and the CLI run headless on machines without JavaFX graphics.
        noClasses().that().resideInAPackage("org.looplens..")
                .and().resideOutsideOfPackage("org.looplens.app.workbench..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree.chart.fx..")
                .check(classes);
    }

    @Test
    void noTornadoVmTypeInTheEngineCore() {
        noClasses().that().resideInAPackage("org.looplens.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("uk.ac.manchester.tornado..")
                .check(classes);
    }
}
