package org.looplens.app.workbench;

import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.looplens.analyses.readout.PositionReadout;
import org.looplens.analyses.readout.StepPrediction;
import org.looplens.app.inspect.PromptInspection;

/**
 * The side panel of the inspector: at one position, each loop step's top-k next tokens with
 * their probabilities, λ and p(t); the clicked step is selected.
 */
final class TopKPanel extends VBox {
    static final int K = 5;

    /** One table row: a step's readout with its token texts. */
    record Row(int step, String[] tokens, double[] probs, double lambda, double exitPdf, double entropy) {}

    private final Label title = new Label("Click a cell");
    private final TableView<Row> table = new TableView<>();

    TopKPanel() {
        setId("topk-panel");
        setSpacing(4);
        setPadding(new Insets(6));
        setPrefWidth(500);
        setMinWidth(260);
        table.setId("topk-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Row, String> step = new TableColumn<>("step");
        step.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(Integer.toString(c.getValue().step() + 1)));
        step.setPrefWidth(44);
        step.setMinWidth(40);
        table.getColumns().add(step);
        for (int r = 0; r < K; r++) {
            int rank = r;
            TableColumn<Row, String> col = new TableColumn<>("#" + (r + 1));
            col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(rank < c.getValue().tokens().length
                    ? String.format(Locale.ROOT, "%s %.2f", c.getValue().tokens()[rank], c.getValue().probs()[rank]) : ""));
            table.getColumns().add(col);
        }
        TableColumn<Row, String> lambda = new TableColumn<>("λ");
        lambda.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.format(Locale.ROOT, "%.2f", c.getValue().lambda())));
        TableColumn<Row, String> pdf = new TableColumn<>("p(t)");
        pdf.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.format(Locale.ROOT, "%.2f", c.getValue().exitPdf())));
        table.getColumns().add(lambda);
        table.getColumns().add(pdf);
        VBox.setVgrow(table, Priority.ALWAYS);
        title.setId("topk-title");
        title.setWrapText(true);
        getChildren().addAll(title, table);
    }

    void show(PromptInspection r, int position, int selectedStep) {
        PositionReadout p = r.lens().readout().positions().get(position);
        title.setText(String.format(Locale.ROOT,
                "Position %d, token %s: top-%d at every step (exit %s; settled at step %d after %d flips)",
                p.position(), r.tokenLabels().get(position), K, p.exitStep() < 0 ? "mixture" : "step " + (p.exitStep() + 1),
                r.lens().decisionStep(position) + 1, r.lens().answerFlips(position)));
        var rows = FXCollections.<Row>observableArrayList();
        for (StepPrediction s : p.steps()) {
            String[] texts = new String[s.topTokens().length];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = r.checkpoint().tokenText(s.topTokens()[i]);
            }
            rows.add(new Row(s.step(), texts, s.topProbs(), s.lambda(), s.exitPdf(), s.entropy()));
        }
        table.setItems(rows);
        table.getSelectionModel().select(selectedStep);
    }

    TableView<Row> table() {
        return table;
    }
}
