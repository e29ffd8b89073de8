package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/todo"
)

// todoListColumns are the columns of `todo lists` in text, CSV and Markdown.
var todoListColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "kind", Path: "wellknownListName"},
	{Header: "shared", Path: "isShared"},
	{Header: "id", Path: "id"},
}

// todoTaskColumns are the columns of `todo tasks`, `todo add` and `todo done`.
var todoTaskColumns = []output.Column{
	{Header: "title", Path: "title"},
	{Header: "status", Path: "status"},
	{Header: "importance", Path: "importance"},
	{Header: "due", Path: "dueDateTime.dateTime"},
	{Header: "zone", Path: "dueDateTime.timeZone"},
	{Header: "id", Path: "id"},
}

// todoFlags are the flags every todo command shares.
type todoFlags struct {
	user string
}

func (a *app) todoCommand() *cobra.Command {
	fl := &todoFlags{}
	cmd := &cobra.Command{
		Use:   "todo",
		Short: "Microsoft To Do lists and tasks",
		Long: `Work with Microsoft To Do: list task lists and tasks (every page), add tasks and mark them
done.

LIST is a list's display name (exact, any case) or id; without one the default list
("Tasks") is used. Sign in with the To Do scope: o365 login --scopes basic,tasks_all
(tasks for read-only). --user works on another user's To Do with an app-only profile.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&fl.user, "user", "", "another user's To Do (UPN or id; app-only profiles); default your own")
	cmd.AddCommand(a.todoListsCommand(fl), a.todoTasksCommand(fl), a.todoAddCommand(fl), a.todoDoneCommand(fl))
	return cmd
}

// todo returns the To Do handle of the signed-in profile.
func (a *app) todo(ctx context.Context, fl *todoFlags) (*todo.ToDo, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	res := graph.Me
	if fl.user != "" {
		res = graph.User(fl.user)
	}
	return todo.New(c, res), nil
}

// todoHint adds what to do to a permission error.
func todoHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (To Do needs the Tasks.ReadWrite scope: o365 login --scopes basic,tasks_all; app-only profiles need Tasks.ReadWrite.All and --user)", err)
	}
	return err
}

// resolveTodoList finds a list by display name (exact, any case) or id; "" is the default
// list.
func resolveTodoList(ctx context.Context, td *todo.ToDo, spec string) (*todo.TaskList, error) {
	if spec == "" {
		l, err := td.DefaultList(ctx)
		return l, todoHint(err)
	}
	l, err := td.ListByName(ctx, spec)
	if errors.Is(err, todo.ErrListNotFound) && !strings.Contains(spec, " ") && len(spec) >= 20 {
		if byID, err2 := td.List(spec).Get(ctx); err2 == nil {
			return byID, nil
		}
	}
	return l, todoHint(err)
}

func (a *app) todoListsCommand(fl *todoFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "lists",
		Short: "List the task lists",
		Long: `List the To Do task lists; the default list has kind defaultList.

  o365 todo lists -o text
  o365 todo lists --query "[].displayName"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			td, err := a.todo(ctx, fl)
			if err != nil {
				return err
			}
			out := []*todo.TaskList{}
			for l, err := range td.Lists(ctx, nil) {
				if err != nil {
					return todoHint(err)
				}
				out = append(out, l)
			}
			return a.print(out, todoListColumns...)
		},
	}
}

func (a *app) todoTasksCommand(fl *todoFlags) *cobra.Command {
	var (
		open  bool
		limit int
	)
	cmd := &cobra.Command{
		Use:   "tasks [LIST]",
		Short: "List the tasks of a list (every page)",
		Long: `List the tasks of LIST (the default list when omitted), following every page.

  o365 todo tasks -o text
  o365 todo tasks Groceries --open
  o365 todo tasks "Project Falcon" --query "[?importance=='high'].title"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			ctx := cmd.Context()
			td, err := a.todo(ctx, fl)
			if err != nil {
				return err
			}
			spec := ""
			if len(args) == 1 {
				spec = args[0]
			}
			l, err := resolveTodoList(ctx, td, spec)
			if err != nil {
				return err
			}
			lo := &graph.ListOptions{Limit: limit}
			if open {
				lo.Query = odata.New().Filter(odata.Attr("status").Ne(string(todo.StatusCompleted)))
			}
			out := []*todo.Task{}
			for t, err := range l.List().Tasks(ctx, lo) {
				if err != nil {
					return todoHint(err)
				}
				out = append(out, t)
			}
			return a.print(out, todoTaskColumns...)
		},
	}
	cmd.Flags().BoolVar(&open, "open", false, "only tasks that are not completed")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many tasks (0: all)")
	return cmd
}

// parseTodoTime reads a due or reminder time: a date ("2026-12-24", midnight local time),
// a local date and time ("2026-12-24T09:00" or "2026-12-24 09:00") or RFC 3339.
func parseTodoTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("bad time %q: use 2026-12-24, 2026-12-24T09:00 or RFC 3339", s)
}

func (a *app) todoAddCommand(fl *todoFlags) *cobra.Command {
	var (
		list, due, reminder, note, importance string
		categories                            []string
	)
	cmd := &cobra.Command{
		Use:   "add TITLE",
		Short: "Add a task",
		Long: `Add a task titled TITLE to --list (the default list when omitted).

  o365 todo add "Buy milk"
  o365 todo add "Send the report" --list Work --due 2026-12-24 --importance high
  o365 todo add "Call Megan" --reminder "2026-12-23 09:00" --note "about the rota"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Everything is checked before any request.
			if strings.TrimSpace(args[0]) == "" {
				return usagef("empty title")
			}
			task := &todo.Task{Title: args[0], Categories: splitList(categories)}
			switch imp := todo.Importance(importance); imp {
			case "", todo.ImportanceLow, todo.ImportanceNormal, todo.ImportanceHigh:
				task.Importance = imp
			default:
				return usagef("--importance must be low, normal or high")
			}
			if due != "" {
				t, err := parseTodoTime(due)
				if err != nil {
					return err
				}
				task.DueDateTime = todo.At(t)
			}
			if reminder != "" {
				t, err := parseTodoTime(reminder)
				if err != nil {
					return err
				}
				task.ReminderDateTime, task.IsReminderOn = todo.At(t), true
			}
			if note != "" {
				task.Body = graph.Text(note)
			}
			ctx := cmd.Context()
			td, err := a.todo(ctx, fl)
			if err != nil {
				return err
			}
			l, err := resolveTodoList(ctx, td, list)
			if err != nil {
				return err
			}
			nt := l.List().NewTask(task.Title)
			nt.Importance, nt.Categories, nt.Body = task.Importance, task.Categories, task.Body
			nt.DueDateTime, nt.ReminderDateTime, nt.IsReminderOn = task.DueDateTime, task.ReminderDateTime, task.IsReminderOn
			if err := nt.Save(ctx); err != nil {
				return todoHint(err)
			}
			return a.print(nt, todoTaskColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&list, "list", "", "the list (display name or id; default: the default list)")
	f.StringVar(&due, "due", "", "due date (2026-12-24) or time")
	f.StringVar(&reminder, "reminder", "", "reminder time (2026-12-24T09:00, local time, or RFC 3339)")
	f.StringVar(&note, "note", "", "the task's note (text)")
	f.StringVar(&importance, "importance", "", "low, normal or high")
	f.StringSliceVar(&categories, "category", nil, "categories, comma-separated or repeated")
	return cmd
}

func (a *app) todoDoneCommand(fl *todoFlags) *cobra.Command {
	var (
		list string
		undo bool
	)
	cmd := &cobra.Command{
		Use:   "done TASK",
		Short: "Mark a task completed (or not, with --undo)",
		Long: `Mark TASK completed. TASK is a task's id or its title (exact, any case) in --list (the
default list when omitted); a title several tasks share is refused: use the id.

  o365 todo done "Buy milk"
  o365 todo done "Buy milk" --undo`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			td, err := a.todo(ctx, fl)
			if err != nil {
				return err
			}
			l, err := resolveTodoList(ctx, td, list)
			if err != nil {
				return err
			}
			var found []*todo.Task
			for t, err := range l.List().Tasks(ctx, nil) {
				if err != nil {
					return todoHint(err)
				}
				if t.ID == args[0] {
					found = []*todo.Task{t}
					break
				}
				if strings.EqualFold(t.Title, args[0]) {
					found = append(found, t)
				}
			}
			switch len(found) {
			case 0:
				return fmt.Errorf("no task %q in list %q", args[0], l.DisplayName)
			case 1:
			default:
				ids := make([]string, len(found))
				for i, t := range found {
					ids[i] = t.ID
				}
				return fmt.Errorf("%d tasks in list %q are titled %q; give the id of one: %s", len(found), l.DisplayName, args[0], strings.Join(ids, ", "))
			}
			t := found[0]
			if undo {
				err = t.Reopen(ctx)
			} else {
				err = t.Complete(ctx)
			}
			if err != nil {
				return todoHint(err)
			}
			return a.print(t, todoTaskColumns...)
		},
	}
	cmd.Flags().StringVar(&list, "list", "", "the list (display name or id; default: the default list)")
	cmd.Flags().BoolVar(&undo, "undo", false, "mark the task not started again")
	return cmd
}
