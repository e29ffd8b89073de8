package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/groups"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/planner"
)

// plannerPlanColumns are the columns of `planner plans` in text, CSV and Markdown.
var plannerPlanColumns = []output.Column{
	{Header: "title", Path: "title"},
	{Header: "group", Path: "container.containerId"},
	{Header: "created", Path: "createdDateTime"},
	{Header: "id", Path: "id"},
}

// plannerTaskColumns are the columns of `planner tasks`, `planner add` and `planner done`.
var plannerTaskColumns = []output.Column{
	{Header: "title", Path: "title"},
	{Header: "percent", Path: "percentComplete"},
	{Header: "priority", Path: "priority"},
	{Header: "due", Path: "dueDateTime"},
	{Header: "bucket", Path: "bucketId"},
	{Header: "id", Path: "id"},
}

// plannerPriorities are the names --priority takes.
var plannerPriorities = map[string]int{
	"urgent": planner.PriorityUrgent, "important": planner.PriorityImportant,
	"medium": planner.PriorityMedium, "low": planner.PriorityLow,
}

func (a *app) plannerCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "planner",
		Short: "Microsoft Planner plans and tasks",
		Long: `Work with Microsoft Planner: list your plans and a group's, list tasks (yours, a plan's or
a bucket's, every page), add tasks and mark them done.

PLAN is a plan's title (exact, any case, among the plans you can use) or id. Sign in with
the To Do scope (tasks_all, in the default scopes): it covers Planner. Naming a group by
display name needs Group.Read.All, which an administrator must grant: o365 login
--scopes basic,tasks_all,groups (a group id works without it).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.plannerPlansCommand(), a.plannerTasksCommand(), a.plannerAddCommand(), a.plannerDoneCommand())
	return cmd
}

// planner returns the Planner handle of the signed-in profile.
func (a *app) planner(ctx context.Context) (*planner.Planner, *graph.Client, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	return planner.New(c, graph.Me), c, nil
}

// plannerHint adds what to do to a permission error.
func plannerHint(err error) error {
	var se *planner.StaleError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%w (someone changed it meanwhile: run the command again)", err)
	case errors.Is(err, graph.ErrForbidden):
		return fmt.Errorf("%w (Planner needs the Tasks.ReadWrite scope, o365 login --scopes basic,tasks_all, and you must be a member of the plan's group)", err)
	}
	return err
}

// resolvePlan finds a plan by id or by title among the plans the user can use.
func resolvePlan(ctx context.Context, pl *planner.Planner, spec string) (*planner.Plan, error) {
	var found []*planner.Plan
	for p, err := range pl.MyPlans(ctx, nil) {
		if err != nil {
			return nil, plannerHint(err)
		}
		if p.ID == spec {
			return p, nil
		}
		if strings.EqualFold(p.Title, spec) {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		if !strings.Contains(spec, " ") && len(spec) >= 20 {
			if p, err := pl.Plan(ctx, spec); err == nil {
				return p, nil
			}
		}
		return nil, fmt.Errorf("no plan %q among your plans: %w", spec, graph.ErrNotFound)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, p := range found {
		ids[i] = p.ID
	}
	return nil, usagef("%d plans are titled %q; give the id of one: %s", len(found), spec, strings.Join(ids, ", "))
}

// resolveBucket finds a bucket of the plan by id or name (exact, any case).
func resolveBucket(ctx context.Context, plan *planner.Plan, spec string) (*planner.Bucket, error) {
	for b, err := range plan.Buckets(ctx, nil) {
		if err != nil {
			return nil, plannerHint(err)
		}
		if b.ID == spec || strings.EqualFold(b.Name, spec) {
			return b, nil
		}
	}
	return nil, fmt.Errorf("no bucket %q in plan %q: %w", spec, plan.Title, graph.ErrNotFound)
}

func (a *app) plannerPlansCommand() *cobra.Command {
	var group string
	cmd := &cobra.Command{
		Use:   "plans",
		Short: "List your plans, or a group's",
		Long: `List the plans you can use, or with --group those of a Microsoft 365 group (by id, or by
display name with the groups scope).

  o365 planner plans -o text
  o365 planner plans --group Retail --query "[].title"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pl, c, err := a.planner(ctx)
			if err != nil {
				return err
			}
			seq := pl.MyPlans(ctx, nil)
			if group != "" {
				id := group
				if !guidRE.MatchString(group) {
					g, err := resolveGroup(ctx, groups.New(c), group)
					if errors.Is(err, graph.ErrForbidden) {
						return fmt.Errorf("%w (naming a group needs Group.Read.All: o365 login --scopes basic,tasks_all,groups, or give the group's id)", err)
					}
					if err != nil {
						return err
					}
					id = g.ID
				}
				seq = pl.GroupPlans(ctx, id, nil)
			}
			out := []*planner.Plan{}
			for p, err := range seq {
				if err != nil {
					return plannerHint(err)
				}
				out = append(out, p)
			}
			return a.print(out, plannerPlanColumns...)
		},
	}
	cmd.Flags().StringVar(&group, "group", "", "a group's plans (id or display name)")
	return cmd
}

func (a *app) plannerTasksCommand() *cobra.Command {
	var (
		plan, bucket string
		open         bool
		limit        int
	)
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List your tasks, or a plan's or a bucket's (every page)",
		Long: `List the tasks assigned to you, or with --plan those of a plan (with --bucket, of one of
its buckets), following every page.

  o365 planner tasks -o text
  o365 planner tasks --plan "Store Refresh" --bucket "In progress"
  o365 planner tasks --open --query "[].title"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			if bucket != "" && plan == "" {
				return usagef("--bucket needs --plan")
			}
			ctx := cmd.Context()
			pl, _, err := a.planner(ctx)
			if err != nil {
				return err
			}
			lo := &graph.ListOptions{}
			if open {
				lo.Query = odata.New().Filter(odata.Attr("percentComplete").Lt(100))
			} else {
				lo.Limit = limit
			}
			seq := pl.MyTasks(ctx, lo)
			if plan != "" {
				p, err := resolvePlan(ctx, pl, plan)
				if err != nil {
					return err
				}
				seq = p.Tasks(ctx, lo)
				if bucket != "" {
					b, err := resolveBucket(ctx, p, bucket)
					if err != nil {
						return err
					}
					seq = b.Tasks(ctx, lo)
				}
			}
			out := []*planner.Task{}
			for t, err := range seq {
				if err != nil {
					return plannerHint(err)
				}
				if open && t.IsCompleted() {
					continue
				}
				out = append(out, t)
				if limit > 0 && len(out) == limit {
					break
				}
			}
			return a.print(out, plannerTaskColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&plan, "plan", "", "a plan's tasks (title or id)")
	f.StringVar(&bucket, "bucket", "", "only the tasks of this bucket of --plan (name or id)")
	f.BoolVar(&open, "open", false, "only tasks that are not complete")
	f.IntVar(&limit, "limit", 0, "at most this many tasks (0: all)")
	return cmd
}

func (a *app) plannerAddCommand() *cobra.Command {
	var (
		plan, bucket, due, priority string
		assign                      []string
	)
	cmd := &cobra.Command{
		Use:   "add TITLE",
		Short: "Add a task to a plan",
		Long: `Add a task titled TITLE to --plan, in --bucket (the plan's first bucket when omitted),
assigned to the users of --assign ("me", a user principal name or an id).

  o365 planner add "Order the balloons" --plan "Store Refresh" --assign me
  o365 planner add "Book the DJ" --plan "Store Refresh" --bucket "In progress" --due 2026-12-24 --priority urgent`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Everything is checked before any request.
			if strings.TrimSpace(args[0]) == "" {
				return usagef("empty title")
			}
			if plan == "" {
				return usagef("--plan is required")
			}
			prio := -1
			if priority != "" {
				p, ok := plannerPriorities[strings.ToLower(priority)]
				if !ok {
					return usagef("--priority must be urgent, important, medium or low")
				}
				prio = p
			}
			var dueAt *time.Time
			if due != "" {
				t, err := parseTodoTime(due)
				if err != nil {
					return err
				}
				dueAt = &t
			}
			ctx := cmd.Context()
			pl, c, err := a.planner(ctx)
			if err != nil {
				return err
			}
			p, err := resolvePlan(ctx, pl, plan)
			if err != nil {
				return err
			}
			var task *planner.Task
			if bucket != "" {
				b, err := resolveBucket(ctx, p, bucket)
				if err != nil {
					return err
				}
				task = b.NewTask(args[0])
			} else {
				task = p.NewTask(args[0])
				for b, err := range p.Buckets(ctx, &graph.ListOptions{Limit: 1}) {
					if err != nil {
						return plannerHint(err)
					}
					task = b.NewTask(args[0])
				}
			}
			if prio >= 0 {
				task.Priority = prio
			}
			if dueAt != nil {
				task.DueDateTime = dueAt
			}
			dir := directory.New(c)
			for _, who := range splitList(assign) {
				id, err := plannerUserID(ctx, dir, who)
				if err != nil {
					return err
				}
				task.Assign(id)
			}
			if err := task.Save(ctx); err != nil {
				return plannerHint(err)
			}
			return a.print(task, plannerTaskColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&plan, "plan", "", "the plan (title or id)")
	f.StringVar(&bucket, "bucket", "", "the bucket (name or id; default: the plan's first)")
	f.StringVar(&due, "due", "", "due date (2026-12-24) or time")
	f.StringVar(&priority, "priority", "", "urgent, important, medium or low")
	f.StringSliceVar(&assign, "assign", nil, `users to assign ("me", UPN or id), comma-separated or repeated`)
	return cmd
}

// plannerUserID resolves "me", a user principal name or an id to a user id.
func plannerUserID(ctx context.Context, dir *directory.Directory, who string) (string, error) {
	if strings.EqualFold(who, "me") {
		u, err := dir.Me(ctx, odata.New().Select("id"))
		if err != nil {
			return "", err
		}
		return u.ID, nil
	}
	return resolveObjectID(ctx, dir, who)
}

func (a *app) plannerDoneCommand() *cobra.Command {
	var (
		plan string
		undo bool
	)
	cmd := &cobra.Command{
		Use:   "done TASK",
		Short: "Mark a task complete (or not started, with --undo)",
		Long: `Mark TASK complete. TASK is a task's id, or its title (exact, any case) among your tasks or,
with --plan, the plan's tasks; a title several tasks share is refused: use the id. A task
changed meanwhile by someone else is read again and the change reapplied.

  o365 planner done "Order the balloons"
  o365 planner done "Book the DJ" --plan "Store Refresh" --undo`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			pl, _, err := a.planner(ctx)
			if err != nil {
				return err
			}
			seq, where := pl.MyTasks(ctx, nil), "your tasks"
			if plan != "" {
				p, err := resolvePlan(ctx, pl, plan)
				if err != nil {
					return err
				}
				seq, where = p.Tasks(ctx, nil), fmt.Sprintf("plan %q", p.Title)
			}
			var found []*planner.Task
			for t, err := range seq {
				if err != nil {
					return plannerHint(err)
				}
				if t.ID == args[0] {
					found = []*planner.Task{t}
					break
				}
				if strings.EqualFold(t.Title, args[0]) {
					found = append(found, t)
				}
			}
			if len(found) == 0 && !strings.Contains(args[0], " ") && len(args[0]) >= 20 {
				if t, err := pl.Task(ctx, args[0]); err == nil {
					found = []*planner.Task{t}
				}
			}
			switch len(found) {
			case 0:
				return fmt.Errorf("no task %q in %s: %w", args[0], where, graph.ErrNotFound)
			case 1:
			default:
				ids := make([]string, len(found))
				for i, t := range found {
					ids[i] = t.ID
				}
				return fmt.Errorf("%d tasks in %s are titled %q; give the id of one: %s", len(found), where, args[0], strings.Join(ids, ", "))
			}
			t := found[0]
			percent := 100
			if undo {
				percent = 0
			}
			err = planner.Update(ctx, t, func(t *planner.Task) error {
				t.PercentComplete = percent
				return nil
			})
			if err != nil {
				return plannerHint(err)
			}
			return a.print(t, plannerTaskColumns...)
		},
	}
	cmd.Flags().StringVar(&plan, "plan", "", "look for TASK in this plan (title or id) instead of your tasks")
	cmd.Flags().BoolVar(&undo, "undo", false, "mark the task not started again")
	return cmd
}
